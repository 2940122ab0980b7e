import { Embedder, type ProgressCallback } from '../embedding/embedder.js';
import { MODEL_SPECS } from '../embedding/models.js';
import { zScoreFusion, type Scored } from '../search/fusion.js';
import { LexicalIndex } from '../search/lexical.js';
import { dotRow } from '../search/vectors.js';
import type { BeirDataset } from './beir.js';
import { mean, mrrAtK, ndcgAtK, recallAtK } from './metrics.js';
import { cachedPassageVectors } from './vector-cache.js';

export const MODES = ['bm25', 'dense', 'hybrid', 'hybrid+rerank'] as const;
export type Mode = (typeof MODES)[number];

/** Candidates each first-stage retriever proposes, and how many the rerank stage re-scores. */
const FIRST_STAGE = 100;
/** BM25 weights tried on the train split; the test split never influences the choice. */
const WEIGHT_GRID = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1, 1.5];

export interface BenchmarkOptions {
  /** The dense model of the first stage (dense and hybrid modes). */
  model: string;
  modelsDir?: string;
  cacheDir: string;
  onProgress?: (label: string) => ProgressCallback;
}

export interface ModeResult {
  mode: Mode;
  queries: number;
  'ndcg@10': number;
  'recall@10': number;
  'recall@100': number;
  'mrr@10': number;
  ms_per_query: number;
  /** The BM25 weight chosen on the train split (fused modes). */
  bm25Weight: number | null;
}

interface DenseModel {
  embedder: Embedder;
  vectors: Float32Array;
}

/**
 * Retrieval over a BEIR corpus with the project's own components (BM25, the embedders, z-score
 * fusion). Each document is one passage, `title text`, as in BEIR's reference runs.
 */
export class Benchmark {
  private readonly dense = new Map<string, DenseModel>();
  private readonly lexical: LexicalIndex;
  private readonly texts: string[];

  constructor(
    private readonly data: { test: BeirDataset; train: BeirDataset | null },
    private readonly options: BenchmarkOptions,
  ) {
    this.texts = data.test.corpus.map((doc) => `${doc.title} ${doc.text}`.trim());
    this.lexical = LexicalIndex.build(this.texts);
  }

  async run(mode: Mode): Promise<ModeResult> {
    const models = mode === 'bm25' ? [] : mode === 'hybrid+rerank' ? Object.keys(MODEL_SPECS) : [this.options.model];
    for (const model of models) await this.denseModel(model);
    const bm25Weight = mode === 'hybrid' || mode === 'hybrid+rerank' ? await this.tuneWeight(mode) : null;
    const { test } = this.data;
    const started = performance.now();
    const rankings = [];
    for (const query of test.queries) rankings.push(await this.retrieve(mode, query.text, bm25Weight ?? 0));
    const msPerQuery = (performance.now() - started) / test.queries.length;
    return { mode, queries: test.queries.length, ...score(test, rankings), ms_per_query: Number(msPerQuery.toFixed(2)), bm25Weight };
  }

  /** The BM25 weight with the best nDCG@10 on the train split. */
  private async tuneWeight(mode: Mode): Promise<number> {
    const train = this.data.train;
    if (!train || train.queries.length === 0) return 0.3;
    let best = { weight: 0.3, ndcg: -1 };
    const cache = new Map<string, Awaited<ReturnType<Benchmark['runs']>>>();
    for (const weight of WEIGHT_GRID) {
      const rankings = [];
      for (const query of train.queries) {
        if (!cache.has(query.id)) cache.set(query.id, await this.runs(mode, query.text));
        rankings.push(fuse(cache.get(query.id)!, weight));
      }
      const ndcg = score(train, rankings)['ndcg@10'];
      if (ndcg > best.ndcg) best = { weight, ndcg };
    }
    return best.weight;
  }

  private async retrieve(mode: Mode, query: string, bm25Weight: number): Promise<string[]> {
    if (mode === 'bm25') return this.lexical.search(query, FIRST_STAGE).map(({ index }) => this.data.test.corpus[index]!.id);
    return fuse(await this.runs(mode, query), bm25Weight);
  }

  /** Every retriever's scores over the candidate set of a query, before weighting. */
  private async runs(mode: Mode, query: string): Promise<{ ids: string[]; bm25: Map<number, number>; dense: Array<Map<number, number>> }> {
    const first = this.dense.get(this.options.model)!;
    const firstVector = await first.embedder.embedQuery(query);
    const firstScores = allDots(first.vectors, firstVector);
    const candidates = new Set(topK(firstScores, FIRST_STAGE));
    const bm25All = mode === 'dense' ? new Map<number, number>() : this.lexical.scoreAll(query);
    if (mode !== 'dense') for (const { index } of this.lexical.search(query, FIRST_STAGE)) candidates.add(index);

    const pool = [...candidates];
    const dense = [new Map(pool.map((i) => [i, firstScores[i]!]))];
    if (mode === 'hybrid+rerank') {
      // Second stage: the other models re-score only the first stage's candidates.
      for (const [model, { embedder, vectors }] of this.dense) {
        if (model === this.options.model) continue;
        const vector = await embedder.embedQuery(query);
        dense.push(new Map(pool.map((i) => [i, dotRow(vectors, i, vector)])));
      }
    }
    const bm25 = new Map(pool.map((i) => [i, bm25All.get(i) ?? 0]));
    return { ids: this.data.test.corpus.map((doc) => doc.id), bm25, dense };
  }

  private async denseModel(model: string): Promise<DenseModel> {
    let loaded = this.dense.get(model);
    if (!loaded) {
      const embedder = await Embedder.load({ model, modelsDir: this.options.modelsDir });
      const vectors = await cachedPassageVectors(this.options.cacheDir, this.texts, embedder, this.options.onProgress?.(`embedding with ${model}`));
      loaded = { embedder, vectors };
      this.dense.set(model, loaded);
    }
    return loaded;
  }
}

/** Weighted z-score fusion of the dense runs (weight 1 each) and BM25; document ids best first. */
function fuse(runs: { ids: string[]; bm25: Map<number, number>; dense: Array<Map<number, number>> }, bm25Weight: number): string[] {
  const weighted = runs.dense.map((scores) => ({ scores, weight: 1 }));
  if (bm25Weight > 0) weighted.push({ scores: runs.bm25, weight: bm25Weight });
  return zScoreFusion(weighted)
    .slice(0, FIRST_STAGE)
    .map(({ id }: Scored) => runs.ids[id]!);
}

function score(data: BeirDataset, rankings: string[][]) {
  const metric = (fn: typeof ndcgAtK, k: number) =>
    Number(mean(data.queries.map((query, i) => fn(rankings[i]!, data.qrels.get(query.id)!, k))).toFixed(4));
  return { 'ndcg@10': metric(ndcgAtK, 10), 'recall@10': metric(recallAtK, 10), 'recall@100': metric(recallAtK, 100), 'mrr@10': metric(mrrAtK, 10) };
}

function allDots(vectors: Float32Array, query: Float32Array): Float32Array {
  const count = vectors.length / query.length;
  const out = new Float32Array(count);
  for (let row = 0; row < count; row++) out[row] = dotRow(vectors, row, query);
  return out;
}

function topK(scores: Float32Array, k: number): number[] {
  return Array.from(scores.keys())
    .sort((a, b) => scores[b]! - scores[a]!)
    .slice(0, k);
}
