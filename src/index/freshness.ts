import { IndexWriteError } from '../core/atomic.js';
import type { Corpus } from '../corpus/corpus.js';
import type { Embedders, ProgressCallback } from '../embedding/embedder.js';
import { type IngestSummary, indexSettings, ingest, sameContent } from './ingest.js';
import { IndexLockedError, WRITER_WAIT_MS } from './lock.js';
import { IndexCorruptError, type IndexSettings, type Manifest, readManifest, sameSettings } from './manifest.js';
import { loadIndex, loadIndexAsync, readDocuments, type StoredIndex } from './store.js';
import { indexSubset } from './subset.js';

export interface IndexHooks {
  onProgress?: ProgressCallback;
  onWarning?: (message: string) => void;
  /** Called after the index had to be built or updated. */
  onIngest?: (summary: IngestSummary) => void;
}

/** True when the index on disk does not match the corpus and settings (or is missing). */
export function isStale(
  manifest: Manifest | null,
  documents: ReadonlyMap<string, { sha256: string; title: string }> | null,
  corpus: Corpus,
  settings: IndexSettings,
): boolean {
  if (!manifest || !documents || !sameSettings(manifest.settings, settings)) return true;
  if (documents.size !== corpus.documents.length) return true;
  return corpus.documents.some((doc) => !sameContent(documents.get(doc.id), doc));
}

/**
 * Bring the index up to date with the corpus (embedding only what changed) and return it.
 * A missing, stale or corrupt index is rebuilt; a current one is loaded as is. When a stale index
 * cannot be rewritten (full or read-only disk, another writer busy), the old one still answers for
 * the documents that did not change, with a warning.
 */
export async function ensureIndex(
  corpus: Corpus,
  embedders: Embedders,
  indexDir: string,
  hooks: IndexHooks = {},
  /** When given, a stale index that can still answer is returned at once (its unchanged documents) and the ingest runs in the background: `background` receives it. */
  background?: (ingestRun: Promise<void>) => void,
): Promise<StoredIndex> {
  const settings = indexSettings(embedders);
  let usable = false;
  try {
    const manifest = readManifest(indexDir);
    const sameModels = manifest !== null && sameSettings(manifest.settings, settings);
    const documents = sameModels ? readDocuments(indexDir, manifest) : null;
    if (!isStale(manifest, documents, corpus, settings)) {
      const index = await loadIndexAsync(indexDir, 'current', { manifest: manifest!, documents: documents! });
      if (index) return index;
    }
    usable = sameModels;
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    hooks.onWarning?.(`${error.message}; rebuilding it`);
    // The last good generation keeps answering while the rebuild runs, if it still verifies.
    const previous = background ? loadIndexOrNull(indexDir, 'previous') : null;
    if (previous && background && sameSettings(previous.manifest.settings, settings)) {
      return answerMeanwhile(previous, `the previous generation ${previous.manifest.generation}`);
    }
  }
  const old = usable && background ? loadIndexOrNull(indexDir) : null;
  if (old && background) return answerMeanwhile(old, 'the previous one');

  /** Answer now from what has not changed in `index`; the ingest (resumable) publishes a generation the engine picks up when it ends. */
  function answerMeanwhile(index: StoredIndex, which: string): StoredIndex {
    const run = ingest(corpus, embedders, indexDir, {
      onProgress: hooks.onProgress,
      onWarning: hooks.onWarning,
      lockWaitMs: WRITER_WAIT_MS,
    }).then(
      ({ summary }) => hooks.onIngest?.(summary),
      (error: unknown) =>
        hooks.onWarning?.(`background ingest failed, still answering from the previous index: ${(error as Error).message}`),
    );
    background!(run);
    const current = unchangedPart(index, corpus);
    hooks.onWarning?.(`the index is being updated in the background; answering from ${which} meanwhile${current.dropped}`);
    return current.index;
  }
  return ingestOrFallBack(corpus, embedders, indexDir, hooks, usable);
}

/**
 * Ingests now and returns the new index; when that fails for want of disk or of the lock and a
 * `usable` index exists, answers from its unchanged documents instead.
 */
async function ingestOrFallBack(
  corpus: Corpus,
  embedders: Embedders,
  indexDir: string,
  hooks: IndexHooks,
  usable: boolean,
): Promise<StoredIndex> {
  try {
    // With an old index to fall back on, never wait for another writer; without one, there is nothing else to do.
    const lockWaitMs = usable ? 0 : WRITER_WAIT_MS;
    const { index, summary } = await ingest(corpus, embedders, indexDir, {
      onProgress: hooks.onProgress,
      onWarning: hooks.onWarning,
      lockWaitMs,
    });
    hooks.onIngest?.(summary);
    return index;
  } catch (error) {
    const fallback = usable && (error instanceof IndexWriteError || error instanceof IndexLockedError) ? loadIndexOrNull(indexDir) : null;
    if (!fallback) throw error;
    const current = unchangedPart(fallback, corpus);
    hooks.onWarning?.(`${(error as Error).message}; answering from the existing index${current.dropped} until it can be rewritten`);
    return current.index;
  }
}

/** The part of an older index whose documents did not change: it never quotes a changed file at its old offsets. */
function unchangedPart(index: StoredIndex, corpus: Corpus): { index: StoredIndex; dropped: string } {
  const byId = new Map(corpus.documents.map((doc) => [doc.id, doc]));
  const current = indexSubset(index, (id) => sameContent(index.documents.get(id), byId.get(id)));
  const dropped = index.documents.size - current.documents.size;
  return { index: current, dropped: dropped > 0 ? `, without the ${dropped} document(s) changed or removed since` : '' };
}

function loadIndexOrNull(indexDir: string, which: 'current' | 'previous' = 'current'): StoredIndex | null {
  try {
    return loadIndex(indexDir, which);
  } catch {
    return null;
  }
}

/** The generation the manifest names now, or null when there is none or it is unreadable: a cheap "did the index change?". */
export function currentGeneration(indexDir: string): string | null {
  try {
    return readManifest(indexDir)?.generation ?? null;
  } catch {
    return null;
  }
}
