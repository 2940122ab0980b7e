import type { EngineOptions } from '../backend/types.js';
import { loadEmbedders } from '../embedding/embedder.js';
import { openBackend } from '../engine/open.js';
import { progressBar } from './progress.js';
import { formatSummary, warn } from './run.js';

/**
 * Builds or updates the index of a corpus, embedding only what changed; skipped files, a progress
 * bar and a summary go to stderr. What `npm run ingest` and `npm run setup` do.
 */
export async function indexCorpus(options: EngineOptions): Promise<void> {
  const backend = await openBackend(options);
  const corpus = backend.readCorpus(warn);
  const embedders = await loadEmbedders({ ...options, reader: null }); // ingest embeds; the reader works at question time only
  const { summary, where } = await backend.ingest(corpus, embedders, { onProgress: progressBar('embedding'), onWarning: warn });
  process.stderr.write(`${formatSummary(summary, where)}\n`);
}
