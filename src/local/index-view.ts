import { dotRow } from '../core/vectors.js';
import type { StoredIndex } from '../index/store.js';
import type { VectorFile } from '../index/vector-file.js';
import type { IndexView, RowVectors } from '../search/index-view.js';

/**
 * The local backend: the hnswlib graph in memory, and the vector tables read row by row from the
 * generation's files (an index built in memory, like a subset, is used in place).
 */
export function localIndexView(index: StoredIndex): IndexView {
  const { files } = index;
  // Rows are read for each question, never kept: the operating system's page cache keeps the ones in use.
  // (The primary model's chunk vectors are also in the graph, but hnswlib's getPoint took 65-100 µs a
  // row here, against 5 µs for a read from the page cache and 130 µs from disk.)
  const fromFiles =
    (columns: VectorFile[]) =>
    async (rows: Iterable<number>): Promise<RowVectors> => {
      // One read per row gives every model's vector (they sit side by side in the row).
      const read = columns[0]!.table.read(rows);
      const vector = (m: number, row: number) => columns[m]!.of(read.get(row)!);
      return { dot: (m, row, query) => dotRow(vector(m, row), 0, query), vector };
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
    bm25: index.bm25,
    referenceMoments: index.referenceMoments,
    async nearestChunks(query, k, allowed) {
      const count = Math.min(k, index.chunkRows.length);
      if (count === 0) return [];
      const filter = allowed ? (row: number) => allowed.has(index.chunkRows.docId(row)) : undefined;
      return index.hnsw.searchKnn(Array.from(query), count, filter).neighbors;
    },
    chunkVectors: files ? fromFiles(files.chunks) : inMemory(() => [index.chunkVectors, ...index.rerankVectors]),
    sentenceVectors: files ? fromFiles(files.sentences) : inMemory(() => [index.sentenceVectors, ...index.rerankSentenceVectors]),
  };
}
