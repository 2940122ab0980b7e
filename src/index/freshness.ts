import type { Corpus } from '../corpus/corpus.js';
import type { Embedders, ProgressCallback } from '../embedding/embedder.js';
import { indexSettings, ingest, sameContent, type IngestSummary } from './ingest.js';
import { IndexCorruptError, loadIndex, readManifest, sameSettings, type IndexSettings, type Manifest, type StoredIndex } from './store.js';

export interface IndexHooks {
  onProgress?: ProgressCallback;
  onWarning?: (message: string) => void;
  /** Called after the index had to be built or updated. */
  onIngest?: (summary: IngestSummary) => void;
}

/** True when the index on disk does not match the corpus and settings (or is missing). */
export function isStale(manifest: Manifest | null, corpus: Corpus, settings: IndexSettings): boolean {
  if (!manifest || !sameSettings(manifest, settings)) return true;
  const indexed = Object.entries(manifest.documents);
  if (indexed.length !== corpus.documents.length) return true;
  return corpus.documents.some((doc) => !sameContent(manifest.documents[doc.id], doc));
}

/**
 * Bring the index up to date with the corpus (embedding only what changed) and return it.
 * A missing, stale or corrupt index is rebuilt; a current one is loaded as is.
 */
export async function ensureIndex(corpus: Corpus, embedders: Embedders, indexDir: string, hooks: IndexHooks = {}): Promise<StoredIndex> {
  try {
    const manifest = readManifest(indexDir);
    if (!isStale(manifest, corpus, indexSettings(embedders))) {
      const index = loadIndex(indexDir);
      if (index) return index;
    }
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    hooks.onWarning?.(`${error.message}; rebuilding it`);
  }
  const { index, summary } = await ingest(corpus, embedders, indexDir, { onProgress: hooks.onProgress, onWarning: hooks.onWarning });
  hooks.onIngest?.(summary);
  return index;
}

/** The generation the manifest names now, or null when there is none or it is unreadable: a cheap "did the index change?". */
export function currentGeneration(indexDir: string): string | null {
  try {
    return readManifest(indexDir)?.generation ?? null;
  } catch {
    return null;
  }
}
