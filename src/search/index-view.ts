import { dotRow } from '../core/vectors.js';
import type { IndexedDocument, StoredIndex } from '../index/store.js';

/**
 * What the Answerer needs from an index, whatever holds it: the document table (spans and row
 * numbers), the primary model's nearest chunks, and each model's vectors of given rows. Two
 * backends implement it: `localIndexView` over the hnswlib files (src/index/store.ts) and
 * `PostgresIndex` (src/postgres/reader.ts). Rows are numbered the same way in both: documents in
 * corpus order, each document's chunks (and sentences) in text order.
 */
export interface IndexView {
  /** Names the published state; a reader reloads when it changes. */
  readonly generation: string;
  /** Spans of every document, by id, in corpus order. */
  readonly documents: Map<string, IndexedDocument>;
  /** Row i of the chunk table: which document and which of its chunks. */
  readonly chunkRows: ReadonlyArray<{ docId: string; chunk: number }>;
  /** First sentence row of each document. */
  readonly sentenceRowOf: ReadonlyMap<string, number>;
  readonly sentenceCount: number;
  /** The primary model's nearest chunk rows to `query` (approximate, HNSW), best first; only documents in `allowed` when given. */
  nearestChunks(query: Float32Array, k: number, allowed: ReadonlySet<string> | null): Promise<number[]>;
  /** Every model's vectors (primary first, then the rerank models) of these chunk rows. */
  chunkVectors(rows: Iterable<number>): Promise<RowVectors>;
  /** The same for sentence rows. */
  sentenceVectors(rows: Iterable<number>): Promise<RowVectors>;
}

/** Vectors of some rows under every model: `dot(m, row, query)` is model m's cosine of that row (all vectors are normalised). */
export interface RowVectors {
  dot(model: number, row: number, query: Float32Array): number;
}

/** The local backend: the loaded hnswlib graph and vector tables, used in place (nothing is copied). */
export function localIndexView(index: StoredIndex): IndexView {
  const chunkTables = [index.chunkVectors, ...index.rerankVectors];
  const sentenceTables = [index.sentenceVectors, ...index.rerankSentenceVectors];
  const chunks: RowVectors = { dot: (m, row, query) => dotRow(chunkTables[m]!, row, query) };
  const sentences: RowVectors = { dot: (m, row, query) => dotRow(sentenceTables[m]!, row, query) };
  return {
    generation: index.manifest.generation,
    documents: index.documents,
    chunkRows: index.chunkRows,
    sentenceRowOf: index.sentenceRowOf,
    sentenceCount: index.sentenceVectors.length / index.manifest.settings.dimension,
    async nearestChunks(query, k, allowed) {
      const count = Math.min(k, index.chunkRows.length);
      if (count === 0) return [];
      const filter = allowed ? (row: number) => allowed.has(index.chunkRows[row]!.docId) : undefined;
      return index.hnsw.searchKnn(Array.from(query), count, filter).neighbors;
    },
    chunkVectors: async () => chunks,
    sentenceVectors: async () => sentences,
  };
}
