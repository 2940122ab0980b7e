import hnswlib from 'hnswlib-node';
import { tableRows } from '../core/vectors.js';

const { HierarchicalNSW } = hnswlib;
export type Hnsw = InstanceType<typeof HierarchicalNSW>;

// efSearch 400: the smallest of 100, 200, 300, 400, 600 with recall@10 ≥ 0.99 (0.991, 2.8 ms against 170 ms exact) for
// 200 news questions on the 100,000-chunk bench index; 200 reached 0.99 on a graph of other model-made vectors
// (`npm run bench`, index_only) but 0.97 on this one.
export const HNSW_PARAMS = { M: 16, efConstruction: 200, efSearch: 400 };

/** An empty graph for `count` rows, or the one a generation stored (`readIndexSync`). */
export function newGraph(dimension: number, count?: number): Hnsw {
  const hnsw = new HierarchicalNSW('ip', dimension);
  // Fixed seed: the same corpus always gives the same graph, so results are reproducible.
  if (count !== undefined) hnsw.initIndex(Math.max(count, 1), HNSW_PARAMS.M, HNSW_PARAMS.efConstruction, 100);
  return hnsw;
}

export function buildGraph(vectors: Float32Array, dimension: number, count: number): Hnsw {
  const hnsw = newGraph(dimension, count);
  for (let row = 0; row < count; row++) {
    hnsw.addPoint(Array.from(tableRows(vectors, dimension, row, 1)), row);
  }
  hnsw.setEf(HNSW_PARAMS.efSearch);
  return hnsw;
}
