import type { QuoteEngine } from '../core/types.js';
import type { Corpus, LoadedDocument } from '../corpus/corpus.js';
import type { Embedders, ProgressCallback } from '../embedding/embedder.js';
import type { IndexHooks } from '../index/freshness.js';
import type { IngestSummary } from '../index/ingest.js';
import type { StoredIndex } from '../index/store.js';
import type { IndexView } from '../search/index-view.js';

/**
 * What every index backend provides (src/local/ over hnswlib files, src/postgres/ over pgvector),
 * so that the bot, `ask`, `ingest`, `eval` and `bench` open either one the same way, through
 * `openBackend()` (src/engine/open.ts). Options come from the adapters (src/options.ts); nothing
 * here reads the environment.
 */
export interface IndexBackend {
  readonly kind: 'local' | 'postgres';
  /**
   * An engine over this index: the models loaded, the published state read, kept current (reload
   * when the index changed), questions handed to the Answerer.
   */
  openEngine(hooks?: EngineHooks): Promise<Engine>;
  /** The corpus folder as this backend reads it (the local one through its cache), skipped files and warnings told to `onWarning`. */
  readCorpus(onWarning?: (message: string) => void): Corpus;
  /** Bring the index up to date with the corpus, embedding only what changed; `where` says where it was published. */
  ingest(corpus: Corpus, embedders: Embedders, hooks?: IngestHooks): Promise<{ summary: IngestSummary; where: string }>;
  /** Serve an index built elsewhere (eval's `bot` mode): the view the Answerer reads, and its documents. */
  serve(index: StoredIndex, corpus: Corpus): Promise<{ view: IndexView; documents: Map<string, LoadedDocument> }>;
}

export interface IngestHooks {
  onProgress?: ProgressCallback;
  onWarning?: (message: string) => void;
}

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
  /** ONNX Runtime threads per model (default 1: the fastest for one text at a time, and texts are embedded one at a time). */
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

/** What the engine reports while it loads: ingest progress, warnings, and the summary of an update. */
export interface EngineHooks extends IndexHooks {
  /** Called after a running engine switched to a new corpus or index (not on the first load). */
  onReload?: () => void;
}

export interface Engine extends QuoteEngine {
  readonly embedders: Embedders;
  close(): void;
}
