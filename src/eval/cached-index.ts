import path from 'node:path';
import type { Corpus, LoadedDocument } from '../corpus/corpus.js';
import { sha256 } from '../corpus/document-file.js';
import type { Embedders, ProgressCallback } from '../embedding/embedder.js';
import { openBackend } from '../engine/open.js';
import { ensureIndex } from '../index/freshness.js';
import type { StoredIndex } from '../index/store.js';

/** The PostgreSQL database a benchmark's `bot` mode indexes into (unset: the local files). */
export interface BackendChoice {
  databaseUrl?: string;
  databaseSchema?: string;
}

/**
 * A benchmark's documents (corpus `name`) indexed by the bot's own ingest in the cache folder
 * `folder`-index-KEY, keyed by the documents' content (the manifest inside keys it by models and
 * settings), so a second run loads it instead of embedding again.
 */
export async function indexInCache(
  documents: LoadedDocument[],
  embedders: Embedders,
  cache: { dir: string; name: string; folder: string },
  onProgress?: ProgressCallback,
): Promise<{ corpus: Corpus; index: StoredIndex }> {
  const corpus: Corpus = { dir: cache.name, documents, skipped: [] };
  const key = sha256(documents.map((doc) => `${doc.id}:${doc.sha256}`).join('\n')).slice(0, 16);
  const index = await ensureIndex(corpus, embedders, path.join(cache.dir, `${cache.folder}-index-${key}`), { onProgress });
  return { corpus, index };
}

/** The index served by the backend of `choice` (the local files, or PostgreSQL loaded with the same rows): what the Answerer reads. */
export async function serveIndex(
  index: StoredIndex,
  corpus: Corpus,
  models: { model: string; rerankModels: string[] },
  choice: BackendChoice = {},
) {
  const backend = await openBackend({
    ...models,
    ...choice,
    backend: choice.databaseUrl ? 'postgres' : 'local',
    corpusDir: corpus.dir,
    indexDir: '',
  });
  return backend.serve(index, corpus);
}
