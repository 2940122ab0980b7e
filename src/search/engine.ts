import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { loadCorpus } from '../corpus/corpus.js';
import { CORPUS_CACHE } from '../corpus/corpus-cache.js';
import type { QuoteEngine } from '../core/types.js';
import { loadEmbedders, type Embedders } from '../embedding/embedder.js';
import { modelSpec } from '../embedding/models.js';
import { CorpusChanges, manifestStamp } from '../index/change-signal.js';
import { currentGeneration, ensureIndex, type IndexHooks } from '../index/freshness.js';
import { DEFAULT_ANSWERER_SETTINGS, Answerer } from './answerer.js';
import { localIndexView } from './index-view.js';
import { loadPublishedIndex } from './published-index.js';

export interface EngineOptions {
  corpusDir: string;
  indexDir: string;
  model: string;
  /** Models whose chunk vectors re-score the candidates of `model` (may be empty). */
  rerankModels: string[];
  modelsDir?: string;
  /** Folder of the quote reader (null: quote with the fitted signals alone). */
  reader?: string | null;
  /** Abstention threshold; defaults to the model's calibrated value. */
  minRelevance?: number;
  /** Re-ingest when files in the corpus folder change (the bot may; one-shot commands need not). */
  watch?: boolean;
  /** With a stale index that can still answer, answer from it and ingest in the background (the bot: start-up never waits for an ingest). */
  backgroundIngest?: boolean;
  /** ONNX Runtime threads per model (default 1: the fastest for one question at a time; `npm run ingest` uses every core). */
  embeddingThreads?: number;
  /** Larger corpus files are skipped with a warning (MAX_DOCUMENT_BYTES). */
  maxDocumentBytes?: number;
  /** Where the index lives: files in `indexDir` (default) or a PostgreSQL database (src/postgres/). */
  backend?: 'local' | 'postgres';
  /** The database (backend postgres): a connection URL, and the schema of the index's tables. */
  databaseUrl?: string;
  databaseSchema?: string;
  /**
   * Never write the index: load what its one writer published (a gateway shard, whose manager
   * ingests), leaving out files changed since. `watch` is ignored then.
   */
  readOnly?: boolean;
}

/**
 * The engine's one job: open the models, corpus and index, keep them current (reload when the
 * index or the corpus changed, or watch the folder), and hand questions to the Answerer.
 * Options come from the adapters (src/options.ts); nothing here reads the environment.
 */

/** What the engine reports while it loads: ingest progress, warnings, and the summary of an update. */
export interface EngineHooks extends IndexHooks {
  /** Called after a running engine switched to a new corpus or index (not on the first load). */
  onReload?: () => void;
}

export interface Engine extends QuoteEngine {
  readonly embedders: Embedders;
  close(): void;
}

/** Load the model, corpus and index, and answer questions over them. */
export async function openEngine(options: EngineOptions, hooks: EngineHooks = {}): Promise<Engine> {
  if (options.backend === 'postgres') {
    // Loaded only when used: the local backend never loads the database client.
    const { openPostgresEngine } = await import('../postgres/engine.js');
    return openPostgresEngine(options, hooks);
  }
  const embedders = await loadEmbedders({ ...options, threads: options.embeddingThreads ?? 1 });
  const minRelevance = options.minRelevance ?? modelSpec(options.model).minRelevance;

  // Watching starts before the corpus is read, so no change between the two can be missed.
  const corpusChanges = new CorpusChanges(options.corpusDir);
  let ingesting: Promise<void> | null = null;
  const load = async () => {
    corpusChanges.loading();
    const loaded = loadCorpus(options.corpusDir, { maxDocumentBytes: options.maxDocumentBytes, cache: path.join(options.indexDir, CORPUS_CACHE) });
    corpusChanges.loaded(loaded.fingerprint ?? '');
    for (const { file, reason } of loaded.skipped) hooks.onWarning?.(`skipped ${file}: ${reason}`);
    for (const { file, message } of loaded.warnings ?? []) hooks.onWarning?.(`${file}: ${message}`);
    // One background ingest at a time; the check before the next question loads what it published
    // (and starts another if the corpus moved on meanwhile).
    const background = options.backgroundIngest && !ingesting ? (run: Promise<void>) => (ingesting = run.finally(() => (ingesting = null))) : undefined;
    const index = options.readOnly ? loadPublishedIndex(loaded, embedders, options.indexDir, hooks) : await ensureIndex(loaded, embedders, options.indexDir, hooks, background);
    if (!options.readOnly) loaded.saveCache?.();
    // Only what the index covers can be quoted (less than the corpus when a newer index could not be written).
    const corpus = { ...loaded, documents: loaded.documents.filter((doc) => index.documents.has(doc.id)) };
    const documents = new Map(corpus.documents.map((doc) => [doc.id, doc]));
    // The manifest as it is after loading; if it already names another generation, the next check reloads.
    const stamp = currentGeneration(options.indexDir) === index.manifest.generation ? manifestStamp(options.indexDir) : null;
    return { stamp, corpus, documents, answerer: new Answerer(localIndexView(index), documents, embedders, { ...DEFAULT_ANSWERER_SETTINGS, minRelevance }) };
  };

  let state = await load();
  let reloading: Promise<boolean> | null = null;

  const reloadIfChanged = async (): Promise<boolean> => {
    // Constant time whatever the corpus size: one stat of the manifest, and the watcher's flag.
    if (manifestStamp(options.indexDir) === state.stamp && !(await corpusChanges.changed())) return false;
    try {
      state = await load();
    } catch (error) {
      // The last good state keeps answering until a newer one loads and verifies.
      hooks.onWarning?.(`could not load the new index or corpus, still answering from the previous one: ${(error as Error).message}`);
      return false;
    }
    hooks.onReload?.();
    return true;
  };
  // One reload at a time; concurrent callers share it. (`.finally` runs after the assignment.)
  const refresh = (): Promise<boolean> => (reloading ??= reloadIfChanged().finally(() => (reloading = null)));

  let watcher: FSWatcher | null = null;
  if (options.watch && !options.readOnly) {
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
      return state.answerer.ask(question, askOptions);
    },
    documents: () => state.corpus.documents.map(({ id, title, publisher, author, date, url }) => ({ id, title, publisher, author, date, url, copies: state.answerer.copiesOf(id) })),
    getDocument: (id) => state.documents.get(id),
    refresh,
    close: () => {
      watcher?.close();
      corpusChanges.close();
    },
  };
}
