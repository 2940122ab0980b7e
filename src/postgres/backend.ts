import { readCorpus } from '../backend/engine-parts.js';
import type { EngineOptions, IndexBackend } from '../backend/types.js';
import { databaseOf } from './db.js';
import { openPostgresEngine } from './engine.js';
import { ingestPostgres, publishStoredIndex } from './ingest.js';
import { loadPostgresIndex } from './reader.js';

/** The PostgreSQL backend: the index in pgvector tables at `databaseUrl`, shared by every process. */
export function postgresBackend(options: EngineOptions): IndexBackend {
  return {
    kind: 'postgres',
    openEngine: (hooks) => openPostgresEngine(options, hooks),
    // No corpus cache: the corpus folder may be on another machine than the index, and nothing local is written.
    readCorpus: (onWarning) => readCorpus(options.corpusDir, { maxDocumentBytes: options.maxDocumentBytes }, onWarning),
    async ingest(corpus, embedders, hooks = {}) {
      // Migrations first, then only what changed is embedded, and the new state is published in one transaction.
      const db = databaseOf(options);
      try {
        const summary = await ingestPostgres(corpus, embedders, db, hooks);
        return { summary, where: `schema ${db.schema} of the database at ${db.where}` };
      } finally {
        await db.close();
      }
    },
    async serve(index, corpus) {
      // The pool stays open for the view's reads, as long as the process answers.
      const db = databaseOf(options);
      await publishStoredIndex(db, index, corpus);
      const state = (await loadPostgresIndex(db))!;
      return { view: state.view, documents: new Map(state.documents.map((doc) => [doc.id, doc])) };
    },
  };
}
