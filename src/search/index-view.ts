import type { Bm25Index } from '../index/bm25.js';
import type { ChunkRows } from '../index/chunk-rows.js';
import type { IndexedDocument } from '../index/manifest.js';
import type { ReferenceMoments } from '../index/reference-moments.js';

/**
 * What the Answerer needs from an index, whatever holds it: the document table (spans and row
 * numbers), the primary model's nearest chunks, and each model's vectors of given rows. Two
 * backends implement it: `localIndexView` over the hnswlib files (src/local/index-view.ts) and the
 * `view` of a `PostgresState` (src/postgres/reader.ts). Rows are numbered the same way in both: documents in
 * corpus order, each document's chunks (and sentences) in text order.
 */
export interface IndexView {
  /** Names the published state; a reader reloads when it changes. */
  readonly generation: string;
  /** Spans of every document, by id, in corpus order. */
  readonly documents: Map<string, IndexedDocument>;
  /** Row i of the chunk table: which document and which of its chunks. */
  readonly chunkRows: ChunkRows;
  /** First sentence row of each document. */
  readonly sentenceRowOf: ReadonlyMap<string, number>;
  readonly sentenceCount: number;
  /** The primary model's nearest chunk rows to `query` (approximate, HNSW), best first; only documents in `allowed` when given. */
  nearestChunks(query: Float32Array, k: number, allowed: ReadonlySet<string> | null): Promise<number[]>;
  /** Every model's vectors (primary first, then the rerank models) of these chunk rows. */
  chunkVectors(rows: Iterable<number>): Promise<RowVectors>;
  /** The same for sentence rows. */
  sentenceVectors(rows: Iterable<number>): Promise<RowVectors>;
  /** BM25 over chunks and sentences when the backend stores it (else the Answerer builds it from the texts). */
  readonly bm25?: { chunks: Bm25Index; sentences: Bm25Index };
  /** Every model's moments over the reference samples when the backend stores them (else the Answerer scores the samples). */
  readonly referenceMoments?: ReferenceMoments;
}

/** Vectors of some rows under every model: `dot(m, row, query)` is model m's cosine of that row (all vectors are normalised). */
export interface RowVectors {
  dot(model: number, row: number, query: Float32Array): number;
  /** Model m's vector of a row (read-only: it may be a view into a table). */
  vector(model: number, row: number): Float32Array;
}
