import { dotRow } from '../core/vectors.js';
import type { IndexedDocument, StoredIndex, VectorFile } from '../index/store.js';
import type { Bm25Index } from './bm25.js';
import type { ReferenceMoments } from './reference-sample.js';

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
  /** BM25 over chunks and sentences when the backend stores it (else the Answerer builds it from the texts). */
  readonly lexical?: { chunks: Bm25Index; sentences: Bm25Index };
  /** Every model's moments over the reference samples when the backend stores them (else the Answerer scores the samples). */
  readonly referenceMoments?: ReferenceMoments;
}

/** Vectors of some rows under every model: `dot(m, row, query)` is model m's cosine of that row (all vectors are normalised). */
export interface RowVectors {
  dot(model: number, row: number, query: Float32Array): number;
  /** Model m's vector of a row (read-only: it may be a view into a table). */
  vector(model: number, row: number): Float32Array;
}

/**
 * The local backend: the hnswlib graph in memory, and the vector tables read row by row from the
 * generation's files (an index built in memory, like a subset, is used in place).
 */
export function localIndexView(index: StoredIndex): IndexView {
  const { files } = index;
  // Rows are read for each question, never kept: the operating system's page cache keeps the ones in use.
  // (The primary model's chunk vectors are also in the graph, but hnswlib's getPoint took 65-100 µs a
  // row here, against 5 µs for a read from the page cache and 130 µs from disk.)
  const fromFiles = (tables: VectorFile[]) => async (rows: Iterable<number>): Promise<RowVectors> => {
    const wanted = [...rows];
    const read = tables.map((table) => table.read(wanted));
    return { dot: (m, row, query) => dotRow(read[m]!.get(row)!, 0, query), vector: (m, row) => read[m]!.get(row)! };
  };
  const inMemory = (tables: () => Float32Array[]) => {
    const width = index.manifest.settings.dimension;
    const rows: RowVectors = {
      dot: (m, row, query) => dotRow(tables()[m]!, row, query),
      vector: (m, row) => tables()[m]!.subarray(row * width, (row + 1) * width),
    };
    return async () => rows;
  };
  return {
    generation: index.manifest.generation,
    documents: index.documents,
    chunkRows: index.chunkRows,
    sentenceRowOf: index.sentenceRowOf,
    sentenceCount: [...index.documents.values()].reduce((sum, doc) => sum + doc.sentences.length, 0),
    lexical: index.lexical,
    referenceMoments: index.referenceMoments,
    async nearestChunks(query, k, allowed) {
      const count = Math.min(k, index.chunkRows.length);
      if (count === 0) return [];
      const filter = allowed ? (row: number) => allowed.has(index.chunkRows[row]!.docId) : undefined;
      return index.hnsw.searchKnn(Array.from(query), count, filter).neighbors;
    },
    chunkVectors: files ? fromFiles(files.chunks) : inMemory(() => [index.chunkVectors, ...index.rerankVectors]),
    sentenceVectors: files ? fromFiles(files.sentences) : inMemory(() => [index.sentenceVectors, ...index.rerankSentenceVectors]),
  };
}
