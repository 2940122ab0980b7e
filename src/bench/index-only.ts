import { loadEmbedders } from '../embedding/embedder.js';
import { newGraph } from '../index/graph.js';
import type { ModelOptions } from './embedding-throughput.js';
import { efSweep, round2, timed, topTen } from './measure.js';
import { newsQuestions, readNews } from './news-corpus.js';
import { QUESTIONS, vectorPool } from './sizes.js';
import { SyntheticEmbedder } from './synthetic-embedder.js';

/** HNSW alone at a size where end-to-end runs would take hours: model-made vectors, several ef settings. */
export async function indexOnly(n: number, datasets: string, models: ModelOptions) {
  const real = await loadEmbedders({ ...models, rerankModels: [], reader: null });
  const synthetic = new SyntheticEmbedder(real.primary, await vectorPool(datasets, real.primary));
  const dim = real.primary.dimension;
  const vectors = new Float32Array(n * dim);
  for (let i = 0; i < n; i += 10_000) {
    const count = Math.min(10_000, n - i);
    vectors.set(await synthetic.embedPassages(Array.from({ length: count }, (_, j) => `row ${i + j}`)), i * dim);
  }
  const hnsw = newGraph(dim, n);
  const started = performance.now();
  for (let row = 0; row < n; row++) hnsw.addPoint(Array.from(vectors.subarray(row * dim, (row + 1) * dim)), row);
  const buildSeconds = (performance.now() - started) / 1000;
  const questions = newsQuestions(readNews(datasets), QUESTIONS);
  const queries = await Promise.all(questions.map((q) => real.primary.embedQuery(q)));
  const { p50: bruteP50, results: truth } = timed(queries, (q) => topTen(vectors, q));
  const sweep = efSweep(hnsw, queries, truth, [32, 64, 100, 200, 300, 400]);
  return {
    n,
    vectors: 'model-made',
    build_s: Number(buildSeconds.toFixed(1)),
    bruteforce_p50_ms: round2(bruteP50),
    ef_sweep: sweep,
    rss_mb: Math.round(process.memoryUsage.rss() / 2 ** 20),
  };
}
