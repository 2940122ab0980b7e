import { watch, type FSWatcher } from 'node:fs';
import type { Config } from '../config.js';
import { loadCorpus, type Corpus } from '../corpus/corpus.js';
import { corpusFingerprint } from '../corpus/files.js';
import type { QuoteEngine } from '../core/types.js';
import { loadEmbedders, type ProgressCallback } from '../embedding/embedder.js';
import { modelSpec } from '../embedding/models.js';
import { IndexWriteError } from '../index/atomic.js';
import { indexSettings, ingest, isStale, type Embedders, type IngestSummary } from '../index/ingest.js';
import { IndexLockedError, WRITER_WAIT_MS } from '../index/lock.js';
import { IndexCorruptError, loadIndex, readManifest, sameSettings, type StoredIndex } from '../index/store.js';
import { indexSubset } from '../index/subset.js';
import { DEFAULT_RETRIEVER_SETTINGS, Retriever } from './retriever.js';

export interface EngineOptions {
  corpusDir: string;
  indexDir: string;
  model: string;
  /** Models whose chunk vectors re-score the candidates of `model` (may be empty). */
  rerankModels: string[];
  modelsDir?: string;
  /** Abstention threshold; defaults to the model's calibrated value. */
  minScore?: number;
  /** Re-ingest when files in the corpus folder change. */
  watch?: boolean;
  /** Larger corpus files are skipped with a warning (MAX_DOCUMENT_BYTES). */
  maxDocumentBytes?: number;
}

export interface EngineHooks {
  onProgress?: ProgressCallback;
  onWarning?: (message: string) => void;
  /** Called after the index had to be built or updated. */
  onIngest?: (summary: IngestSummary) => void;
  /** Called after a running engine switched to a new corpus or index (not on the first load). */
  onReload?: () => void;
}

export interface Engine extends QuoteEngine {
  readonly embedders: Embedders;
  close(): void;
}

export function engineOptionsFromConfig(config: Config): EngineOptions {
  return {
    corpusDir: config.CORPUS_DIR,
    indexDir: config.INDEX_DIR,
    model: config.EMBEDDING_MODEL,
    rerankModels: config.RERANK_MODELS,
    modelsDir: config.MODELS_DIR,
    minScore: config.ANSWER_MIN_SCORE,
    watch: config.WATCH_CORPUS,
    maxDocumentBytes: config.MAX_DOCUMENT_BYTES,
  };
}

/**
 * Bring the index up to date with the corpus (embedding only what changed) and return it.
 * A missing, stale or corrupt index is rebuilt; a current one is loaded as is. When a stale index
 * cannot be rewritten (full or read-only disk, another writer busy), the old one still answers for
 * the documents that did not change, with a warning.
 */
export async function ensureIndex(corpus: Corpus, embedders: Embedders, indexDir: string, hooks: EngineHooks = {}): Promise<StoredIndex> {
  const settings = indexSettings(embedders);
  let usable = false;
  try {
    const manifest = readManifest(indexDir);
    if (!isStale(manifest, corpus, settings)) {
      const index = loadIndex(indexDir);
      if (index) return index;
    }
    usable = manifest !== null && sameSettings(manifest, settings);
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    hooks.onWarning?.(`${error.message}; rebuilding it`);
  }
  try {
    // With an old index to fall back on, never wait for another writer; without one, there is nothing else to do.
    const lockWaitMs = usable ? 0 : WRITER_WAIT_MS;
    const { index, summary } = await ingest(corpus, embedders, indexDir, { onProgress: hooks.onProgress, onWarning: hooks.onWarning, lockWaitMs });
    hooks.onIngest?.(summary);
    return index;
  } catch (error) {
    const fallback = usable && (error instanceof IndexWriteError || error instanceof IndexLockedError) ? loadIndexOrNull(indexDir) : null;
    if (!fallback) throw error;
    const byId = new Map(corpus.documents.map((doc) => [doc.id, doc]));
    const current = indexSubset(fallback, (id) => {
      const [file, indexed] = [byId.get(id), fallback.documents.get(id)!];
      return file?.sha256 === indexed.sha256 && file.title === indexed.title;
    });
    const dropped = fallback.documents.size - current.documents.size;
    const without = dropped > 0 ? `, without the ${dropped} document(s) changed or removed since` : '';
    hooks.onWarning?.(`${(error as Error).message}; answering from the existing index${without} until it can be rewritten`);
    return current;
  }
}

function loadIndexOrNull(indexDir: string): StoredIndex | null {
  try {
    return loadIndex(indexDir);
  } catch {
    return null;
  }
}

/** Load the model, corpus and index, and answer questions over them. */
export async function openEngine(options: EngineOptions, hooks: EngineHooks = {}): Promise<Engine> {
  const embedders = await loadEmbedders(options);
  const minScore = options.minScore ?? modelSpec(options.model).minScore;

  const load = async () => {
    const fingerprint = corpusFingerprint(options.corpusDir);
    const loaded = loadCorpus(options.corpusDir, { maxDocumentBytes: options.maxDocumentBytes });
    for (const { file, reason } of loaded.skipped) hooks.onWarning?.(`skipped ${file}: ${reason}`);
    for (const { file, message } of loaded.warnings ?? []) hooks.onWarning?.(`${file}: ${message}`);
    const index = await ensureIndex(loaded, embedders, options.indexDir, hooks);
    // Only what the index covers can be quoted (less than the corpus when a newer index could not be written).
    const corpus = { ...loaded, documents: loaded.documents.filter((doc) => index.documents.has(doc.id)) };
    const documents = new Map(corpus.documents.map((doc) => [doc.id, doc]));
    return { fingerprint, generation: index.manifest.generation, corpus, documents, retriever: new Retriever(index, documents, embedders, { ...DEFAULT_RETRIEVER_SETTINGS, minScore }) };
  };

  let state = await load();
  let reloading: Promise<boolean> | null = null;

  const reloadIfChanged = async (): Promise<boolean> => {
    const generation = safeGeneration(options.indexDir);
    if (generation === state.generation && corpusFingerprint(options.corpusDir) === state.fingerprint) return false;
    state = await load();
    hooks.onReload?.();
    return true;
  };
  // One reload at a time; concurrent callers share it. (`.finally` runs after the assignment.)
  const refresh = (): Promise<boolean> => (reloading ??= reloadIfChanged().finally(() => (reloading = null)));

  let watcher: FSWatcher | null = null;
  if (options.watch) {
    let timer: NodeJS.Timeout | undefined;
    watcher = watch(options.corpusDir, { recursive: true }, () => {
      // Editors write in bursts; wait for the folder to settle.
      clearTimeout(timer);
      timer = setTimeout(() => refresh().catch((error) => hooks.onWarning?.(`re-index failed: ${(error as Error).message}`)), 500);
    });
  }

  return {
    embedders,
    ask: async (question, askOptions) => {
      await reloading;
      return state.retriever.ask(question, askOptions);
    },
    documents: () => state.corpus.documents.map(({ id, title, publisher, author, date, url }) => ({ id, title, publisher, author, date, url })),
    getDocument: (id) => state.documents.get(id),
    refresh,
    close: () => watcher?.close(),
  };
}

function safeGeneration(indexDir: string): string | null {
  try {
    return readManifest(indexDir)?.generation ?? null;
  } catch {
    return null;
  }
}
