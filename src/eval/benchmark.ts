import { dotRow } from '../core/vectors.js';
import { Embedder, loadEmbedders, type ProgressCallback } from '../embedding/embedder.js';
import { Bm25Index } from '../index/bm25.js';
import { referenceRows } from '../index/reference-moments.js';
import { Answerer, DEFAULT_ANSWERER_SETTINGS } from '../search/answerer.js';
import { CANDIDATES_PER_RETRIEVER, firstStageScorers, type ScoreRun, scoreRuns, zScoreFusion } from '../search/fusion.js';
import { type BeirDataset, beirDocuments } from './beir.js';
import { type BackendChoice, indexInCache, serveIndex } from './cached-index.js';
import { mean, mrrAtK, ndcgAtK, recallAtK } from './metrics.js';
import { cachedPassageVectors } from './vector-cache.js';

export const MODES = ['bm25', 'dense', 'hybrid', 'hybrid+rerank', 'bot'] as const;
export type Mode = (typeof MODES)[number];

/** BM25 weights tried on the train split (each model has weight 1); the test split never influences the choice. */
const WEIGHT_GRID = [0.25, 0.5, 0.75, 1, 1.5, 2];
/** Equal weights, kept unless the train split shows a better weight beyond its own noise. */
const EQUAL_WEIGHT = 1;

export interface BenchmarkOptions {
  /** The dense model of the first stage (dense and hybrid modes). */
  model: string;
  /** The models that re-score the first stage's candidates (hybrid+rerank and bot modes). */
  rerankModels: string[];
  modelsDir?: string;
  /** The quote reader's folder (used by the `bot` mode; null or unset: none). */
  reader?: string | null;
  cacheDir: string;
  onProgress?: (label: string) => ProgressCallback;
  /**
   * The index behind the `bot` mode: the local files (default), or PostgreSQL, loaded with the
   * local index's rows (the same vectors, so the comparison isolates the backend: pgvector's HNSW
   * against hnswlib's, everything else being the shared Answerer).
   */
  postgres?: BackendChoice;
}

export interface ModeResult {
  mode: Mode;
  queries: number;
  'ndcg@10': number;
  'recall@10': number;
  'recall@100': number;
  'mrr@10': number;
  ms_per_query: number;
  /** The BM25 weight used (fused modes), and how the train split judged the alternatives. */
  bm25Weight: number | null;
  tuning: string | null;
}

interface DenseModel {
  embedder: Embedder;
  vectors: Float32Array;
}

/** One query's candidates, each retriever's scores of them and its scale over the reference sample. */
interface QueryRuns {
  dense: Array<Pick<ScoreRun, 'scores' | 'scale'>>;
  bm25: Pick<ScoreRun, 'scores' | 'scale'>;
}

/**
 * Retrieval over a BEIR corpus with the components the bot uses (BM25, the embedding models,
 * z-score fusion over a reference sample). Each document is one passage, `title text`, as in
 * BEIR's reference runs; the bot applies the same recipe to chunks.
 */
export class Benchmark {
  private readonly dense = new Map<string, DenseModel>();
  private readonly bm25: Bm25Index;
  private readonly texts: string[];
  private readonly reference: number[];
  private bot: Promise<Answerer> | null = null;

  constructor(
    private readonly data: { test: BeirDataset; train: BeirDataset | null },
    private readonly options: BenchmarkOptions,
  ) {
    this.texts = data.test.corpus.map((doc) => `${doc.title} ${doc.text}`.trim());
    this.bm25 = Bm25Index.build(this.texts);
    this.reference = referenceRows(this.texts.length);
  }

  async run(mode: Mode): Promise<ModeResult> {
    const models =
      mode === 'bm25' || mode === 'bot'
        ? []
        : mode === 'hybrid+rerank'
          ? [this.options.model, ...this.options.rerankModels]
          : [this.options.model];
    for (const model of models) await this.denseModel(model);
    if (mode === 'bot') await this.botAnswerer();
    const tuned = mode === 'hybrid' || mode === 'hybrid+rerank' ? await this.tuneWeight(mode) : null;
    const bm25Weight = tuned?.weight ?? null;
    const { test } = this.data;
    const started = performance.now();
    const rankings: string[][] = [];
    for (const query of test.queries) rankings.push(await this.retrieve(mode, query.text, bm25Weight ?? 0));
    const msPerQuery = (performance.now() - started) / test.queries.length;
    return {
      mode,
      queries: test.queries.length,
      ...score(test, rankings),
      ms_per_query: Number(msPerQuery.toFixed(2)),
      bm25Weight,
      tuning: tuned?.report ?? null,
    };
  }

  /**
   * The BM25 weight with the best nDCG@10 on the train split, if it beats equal weights by more
   * than two standard errors of the paired per-query differences; otherwise equal weights.
   */
  private async tuneWeight(mode: Mode): Promise<{ weight: number; report: string }> {
    const train = this.data.train;
    if (!train || train.queries.length === 0) return { weight: EQUAL_WEIGHT, report: 'no train split: equal weights' };
    const runs: QueryRuns[] = [];
    for (const query of train.queries) runs.push(await this.runs(mode, query.text));
    const perQuery = (weight: number) =>
      train.queries.map((query, i) => ndcgAtK(this.ids(fuse(runs[i]!, weight)), train.qrels.get(query.id)!, 10));
    const baseline = perQuery(EQUAL_WEIGHT);
    let chosen = EQUAL_WEIGHT;
    let bestGain = 0;
    const report: string[] = [];
    for (const weight of WEIGHT_GRID.filter((w) => w !== EQUAL_WEIGHT)) {
      const differences = perQuery(weight).map((value, i) => value - baseline[i]!);
      const gain = mean(differences);
      const standardError = Math.sqrt(mean(differences.map((d) => (d - gain) ** 2)) / differences.length);
      report.push(`${weight}: ${gain >= 0 ? '+' : ''}${gain.toFixed(4)} ± ${standardError.toFixed(4)}`);
      if (gain > bestGain && gain > 2 * standardError) [chosen, bestGain] = [weight, gain];
    }
    return { weight: chosen, report: `train nDCG@10 ${mean(baseline).toFixed(4)} at weight 1; change by weight: ${report.join(', ')}` };
  }

  private async retrieve(mode: Mode, query: string, bm25Weight: number): Promise<string[]> {
    if (mode === 'bot') {
      // A BEIR query here is a claim (SciFact), asked as "Find sources" asks one.
      const answer = await (await this.botAnswerer()).ask(query, { k: CANDIDATES_PER_RETRIEVER, claim: true });
      // An article may give two passages; it is ranked once, where its best one stands.
      return [...new Set(answer.results.map((result) => result.docId))];
    }
    if (mode === 'bm25') return this.ids(this.bm25.search(query, CANDIDATES_PER_RETRIEVER).map(({ index }) => index));
    if (mode === 'dense') {
      const { embedder, vectors } = this.dense.get(this.options.model)!;
      return this.ids(topRows(allDots(vectors, await embedder.embedQuery(query)), CANDIDATES_PER_RETRIEVER));
    }
    return this.ids(fuse(await this.runs(mode, query), bm25Weight));
  }

  /** First stage and runs through the bot's own recipe (`scoreRuns`); every model of the mode scores the candidates. */
  private async runs(mode: Mode, query: string): Promise<QueryRuns> {
    const primary = this.dense.get(this.options.model)!;
    const primaryScores = allDots(primary.vectors, await primary.embedder.embedQuery(query));
    const models = [{ score: (row: number) => primaryScores[row]! }];
    if (mode === 'hybrid+rerank') {
      for (const [model, { embedder, vectors }] of this.dense) {
        if (model === this.options.model) continue;
        const vector = await embedder.embedQuery(query);
        models.push({ score: (row) => dotRow(vectors, row, vector) });
      }
    }
    const denseTop = topRows(primaryScores, CANDIDATES_PER_RETRIEVER);
    const bm25Top = this.bm25.search(query, CANDIDATES_PER_RETRIEVER);
    const bm25Scores = this.bm25.scoreRows(query, [...denseTop, ...bm25Top.map(({ index }) => index), ...this.reference]);
    const runs = scoreRuns(denseTop, bm25Top, this.reference, firstStageScorers(models, bm25Scores, 1));
    return { dense: runs.slice(0, -1), bm25: runs.at(-1)! };
  }

  private ids(rows: number[]): string[] {
    return rows.map((row) => this.data.test.corpus[row]!.id);
  }

  /**
   * The bot's own pipeline (chunks, HNSW, rerank vectors, quoting) over the dataset, each document
   * a file-like text "title, blank line, abstract". Its index lives in the cache folder, keyed by
   * the documents' content; the manifest inside keys it by models and settings.
   */
  private botAnswerer(): Promise<Answerer> {
    this.bot ??= (async () => {
      const documents = beirDocuments(this.data.test.corpus);
      const embedders = await loadEmbedders({ ...this.options });
      const cache = { dir: this.options.cacheDir, name: 'beir', folder: 'bot' };
      const { corpus, index } = await indexInCache(documents, embedders, cache, this.options.onProgress?.('indexing for the bot pipeline'));
      const served = await serveIndex(index, corpus, this.options, this.options.postgres);
      // No relevance threshold and no relative cut, so retrieved documents count for the ranking metrics;
      // the queries are asked as claims (`retrieve`), so the quote reader does not judge them either.
      return new Answerer(served.view, served.documents, embedders, {
        ...DEFAULT_ANSWERER_SETTINGS,
        minRelevance: -Infinity,
        relativeCut: 0,
      });
    })();
    return this.bot;
  }

  private async denseModel(model: string): Promise<DenseModel> {
    let loaded = this.dense.get(model);
    if (!loaded) {
      const embedder = await Embedder.load({ model, modelsDir: this.options.modelsDir });
      const vectors = await cachedPassageVectors(
        this.options.cacheDir,
        this.texts,
        embedder,
        this.options.onProgress?.(`embedding with ${model}`),
      );
      loaded = { embedder, vectors };
      this.dense.set(model, loaded);
    }
    return loaded;
  }
}

/** Each model with weight 1, BM25 with `bm25Weight`; rows best first. */
function fuse(runs: QueryRuns, bm25Weight: number): number[] {
  return zScoreFusion([...runs.dense.map((run) => ({ ...run, weight: 1 })), { ...runs.bm25, weight: bm25Weight }])
    .slice(0, CANDIDATES_PER_RETRIEVER)
    .map(({ id }) => id);
}

function score(data: BeirDataset, rankings: string[][]) {
  const metric = (fn: typeof ndcgAtK, k: number) =>
    Number(mean(data.queries.map((query, i) => fn(rankings[i]!, data.qrels.get(query.id)!, k))).toFixed(4));
  return {
    'ndcg@10': metric(ndcgAtK, 10),
    'recall@10': metric(recallAtK, 10),
    'recall@100': metric(recallAtK, 100),
    'mrr@10': metric(mrrAtK, 10),
  };
}

function allDots(vectors: Float32Array, query: Float32Array): Float32Array {
  const out = new Float32Array(vectors.length / query.length);
  for (let row = 0; row < out.length; row++) out[row] = dotRow(vectors, row, query);
  return out;
}

/** Rows of the k highest scores, best first. */
function topRows(scores: Float32Array, k: number): number[] {
  return Array.from(scores.keys())
    .sort((a, b) => scores[b]! - scores[a]!)
    .slice(0, k);
}
