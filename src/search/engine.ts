import { watch, type FSWatcher } from 'node:fs';
import type { Config } from '../config.js';
import { loadCorpus, type Corpus } from '../corpus/corpus.js';
import { corpusFingerprint } from '../corpus/files.js';
import type { QuoteEngine } from '../core/types.js';
import { loadEmbedders, type ProgressCallback } from '../embedding/embedder.js';
import { modelSpec } from '../embedding/models.js';
import { indexSettings, ingest, isStale, type Embedders, type IngestSummary } from '../index/ingest.js';
import { IndexCorruptError, loadIndex, readManifest, type StoredIndex } from '../index/store.js';
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
}

export interface EngineHooks {
  onProgress?: ProgressCallback;
  onWarning?: (message: string) => void;
  /** Called after the index had to be built or updated. */
  onIngest?: (summary: IngestSummary) => void;
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
  };
}

/**
 * Bring the index up to date with the corpus (embedding only what changed) and return it.
 * A missing, stale or corrupt index is rebuilt; a current one is loaded as is.
 */
export async function ensureIndex(corpus: Corpus, embedders: Embedders, indexDir: string, hooks: EngineHooks = {}): Promise<StoredIndex> {
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

/** Load the model, corpus and index, and answer questions over them. */
export async function openEngine(options: EngineOptions, hooks: EngineHooks = {}): Promise<Engine> {
  const embedders = await loadEmbedders(options);
  const minScore = options.minScore ?? modelSpec(options.model).minScore;

  const load = async () => {
    const fingerprint = corpusFingerprint(options.corpusDir);
    const corpus = loadCorpus(options.corpusDir);
    for (const { file, reason } of corpus.skipped) hooks.onWarning?.(`skipped ${file}: ${reason}`);
    for (const { file, message } of corpus.warnings ?? []) hooks.onWarning?.(`${file}: ${message}`);
    const index = await ensureIndex(corpus, embedders, options.indexDir, hooks);
    const documents = new Map(corpus.documents.map((doc) => [doc.id, doc]));
    return { fingerprint, generation: index.manifest.generation, corpus, documents, retriever: new Retriever(index, documents, embedders, { ...DEFAULT_RETRIEVER_SETTINGS, minScore }) };
  };

  let state = await load();
  let reloading: Promise<boolean> | null = null;

  const reloadIfChanged = async (): Promise<boolean> => {
    const generation = safeGeneration(options.indexDir);
    if (generation === state.generation && corpusFingerprint(options.corpusDir) === state.fingerprint) return false;
    state = await load();
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
