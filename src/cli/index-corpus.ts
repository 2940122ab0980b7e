import path from 'node:path';
import { loadCorpus } from '../corpus/corpus.js';
import { CORPUS_CACHE } from '../corpus/corpus-cache.js';
import { loadEmbedders } from '../embedding/embedder.js';
import { ingest } from '../index/ingest.js';
import { WRITER_WAIT_MS } from '../index/lock.js';
import type { EngineOptions } from '../search/engine.js';
import { progressBar } from './progress.js';
import { formatSummary, indexFolder, warn } from './run.js';

/**
 * Builds or updates the index of a corpus, embedding only what changed; skipped files, a progress
 * bar and a summary go to stderr. What `npm run ingest` and `npm run setup` do.
 */
export async function indexCorpus(options: EngineOptions): Promise<void> {
  const corpus = loadCorpus(options.corpusDir, { maxDocumentBytes: options.maxDocumentBytes, cache: options.backend === 'postgres' ? undefined : path.join(options.indexDir, CORPUS_CACHE) });
  for (const { file, reason } of corpus.skipped) warn(`skipped ${file}: ${reason}`);
  for (const { file, message } of corpus.warnings ?? []) warn(`${file}: ${message}`);
  const embedders = await loadEmbedders({ ...options, reader: null }); // ingest embeds; the reader works at question time only
  if (options.backend === 'postgres') {
    // Migrations first, then only what changed is embedded, and the new state is published in one transaction.
    const { ingestPostgres } = await import('../postgres/ingest.js');
    const { openDatabase } = await import('../postgres/db.js');
    const db = openDatabase({ databaseUrl: options.databaseUrl!, databaseSchema: options.databaseSchema });
    try {
      const summary = await ingestPostgres(corpus, embedders, db, { onProgress: progressBar('embedding'), onWarning: warn });
      process.stderr.write(`${formatSummary(summary, `schema ${db.schema} of the database at ${db.where}`)}\n`);
    } finally {
      await db.close();
    }
    return;
  }
  const { summary } = await ingest(corpus, embedders, options.indexDir, {
    onProgress: progressBar('embedding'),
    onWarning: warn,
    // A second ingest waits its turn (saying so), then finds little left to do.
    lockWaitMs: WRITER_WAIT_MS,
  });
  corpus.saveCache?.();
  process.stderr.write(`${formatSummary(summary, indexFolder(options.indexDir))}\n`);
}
