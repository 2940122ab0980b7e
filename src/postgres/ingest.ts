import type { Corpus, LoadedDocument } from '../corpus/corpus.js';
import type { Embedders, ProgressCallback } from '../embedding/embedder.js';
import { embedDocuments } from '../index/embed-documents.js';
import { type IngestSummary, indexSettings, rowsFromIndex, sameContent, summarise } from '../index/ingest.js';
import { type IndexSettings, sameSettings } from '../index/manifest.js';
import { modelRows, type StoredIndex } from '../index/store.js';
import type { ChunkerSettings } from '../text/chunker.js';
import { connect, type Database, query } from './db.js';
import { type FreshRows, freshFromMap, publish, tableVectors } from './publish.js';
import { LOCK_KEY, migrate } from './schema.js';

export interface PostgresIngestOptions {
  chunker?: ChunkerSettings;
  onProgress?: ProgressCallback;
  onWarning?: (message: string) => void;
}

/**
 * Bring the PostgreSQL index up to date with the corpus, like the local ingest: embed only new or
 * changed documents (same sha256 and title ⇒ same vectors), drop removed ones. The embedding runs
 * first; then everything is published in ONE transaction (rows, positions, metadata, the HNSW
 * index, the generation number), so a reader sees the old state or the new one, never a mix.
 * One writer at a time per schema (an advisory lock; a second ingest waits, saying so).
 */
export async function ingestPostgres(
  corpus: Corpus,
  embedders: Embedders,
  db: Database,
  options: PostgresIngestOptions = {},
): Promise<IngestSummary> {
  const started = performance.now();
  await migrate(db);
  const lock = await writerLock(db, options.onWarning);
  try {
    const settings = indexSettings(embedders, options.chunker);
    const { previous, fullRebuild } = await previousState(db, settings);
    const added: string[] = [];
    const changed: string[] = [];
    const toEmbed: LoadedDocument[] = [];
    for (const doc of corpus.documents) {
      const old = previous.get(doc.id);
      if (sameContent(old, doc)) continue;
      (old ? changed : added).push(doc.id);
      toEmbed.push(doc);
    }
    const currentIds = new Set(corpus.documents.map((doc) => doc.id));
    const removed = [...previous.keys()].filter((id) => !currentIds.has(id));

    const fresh = await embedDocuments(toEmbed, embedders, settings.chunker, options.onProgress);
    const counts = await publish(db, settings, corpus, freshFromMap(fresh), { removed, fullRebuild: fullRebuild !== null });
    return summarise({ added, changed, removed, corpus, fullRebuild, started, chunks: counts.chunks, sentences: counts.sentences });
  } finally {
    await lock.release();
  }
}

/**
 * Publish a local index's rows (its vectors, no re-embedding) as the database's state: how
 * `npm run eval -- --backend postgres` compares both backends on the same vectors.
 */
export async function publishStoredIndex(db: Database, index: StoredIndex, corpus: Corpus): Promise<{ chunks: number; sentences: number }> {
  await migrate(db);
  const lock = await writerLock(db);
  try {
    // Each document's rows read from the index files as they are written: a large index's vectors do not fit in memory at once.
    const fresh: FreshRows = {
      ids: corpus.documents.map((doc) => doc.id),
      indexed: (id) => index.documents.get(id)!,
      vectors(id, table) {
        const doc = index.documents.get(id)!;
        if (!index.files) return tableVectors(rowsFromIndex(index, id), table);
        return table === 'chunks'
          ? modelRows(index.files.chunks, index.chunkRowOf.get(id)!, doc.chunks.length)
          : modelRows(index.files.sentences, index.sentenceRowOf.get(id)!, doc.sentences.length);
      },
    };
    return await publish(db, index.manifest.settings, corpus, fresh, { removed: [], fullRebuild: true });
  } finally {
    await lock.release();
  }
}

async function writerLock(db: Database, onWarning?: (message: string) => void): Promise<{ release(): Promise<void> }> {
  const client = await connect(db);
  const key = `${LOCK_KEY}:${db.schema}:ingest`;
  try {
    const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
    if (!rows[0].locked) {
      onWarning?.(`waiting for another ingest writing ${db.where} (schema ${db.schema})`);
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    }
  } catch (error) {
    client.release(true);
    throw error;
  }
  return {
    async release() {
      // Closing the session releases the lock even if the unlock fails.
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
      client.release(true);
    },
  };
}

async function previousState(
  db: Database,
  settings: IndexSettings,
): Promise<{ previous: Map<string, { sha256: string; title: string }>; fullRebuild: string | null }> {
  const state = (await query(db.pool, db.where, 'SELECT settings FROM index_state')).rows[0] as { settings: IndexSettings | null };
  const documents = (await query(db.pool, db.where, 'SELECT id, sha256, title FROM documents')).rows as Array<{
    id: string;
    sha256: string;
    title: string;
  }>;
  if (state.settings && !sameSettings(state.settings, settings)) {
    return {
      previous: new Map(),
      fullRebuild: `index was built with other settings (${state.settings.model}, chunks ≤ ${state.settings.chunker.maxChars} chars)`,
    };
  }
  return { previous: new Map(documents.map((doc) => [doc.id, doc])), fullRebuild: null };
}
