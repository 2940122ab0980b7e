/**
 * Score fusion: merge retrievers (BM25, several embedding models) whose scores live on unrelated
 * scales. Each run's scores are standardised (z-scores) with the mean and spread of that run over
 * a fixed reference sample of the whole collection, not over the query's candidates: the candidate
 * set changes from query to query, the collection does not, so a z-score means the same thing for
 * every candidate and every query.
 */

export interface Scored {
  id: number;
  score: number;
}

export interface ScoreRun {
  /** This retriever's score for each candidate to rank. */
  scores: Map<number, number>;
  /** The same retriever's scale over the reference sample (see `referenceRows` in src/index/reference-moments.ts). */
  scale: Scale;
  weight: number;
}

/** Mean, spread and minimum of one retriever's scores over the reference sample. */
export interface Scale {
  mean: number;
  std: number;
  min: number;
}

/** How many candidates each first-stage retriever (the primary model, BM25) proposes for fusion. */
export const CANDIDATES_PER_RETRIEVER = 100;

/** One retriever of the recipe: its score for a row (a chunk or a document), its weight in the sum, and its scale when known without scoring the reference sample. */
export interface Scorer {
  score: (row: number) => number;
  weight: number;
  scale?: Scale;
}

/**
 * The first stage's retrievers in the recipe's order: each model's cosine (weight 1, with its scale
 * when known), then BM25 with `bm25Weight`. Shared by the Answerer and `npm run eval`.
 */
export function firstStageScorers(
  models: Array<Omit<Scorer, 'weight'>>,
  bm25Scores: { get(row: number): number | undefined },
  bm25Weight: number,
): Scorer[] {
  return [
    ...models.map(({ score, scale }) => ({ score, weight: 1, scale })),
    { score: (row) => bm25Scores.get(row) ?? 0, weight: bm25Weight },
  ];
}

/**
 * The recipe shared by the bot's Answerer and `npm run eval`: the first stage's candidates (the
 * dense model's nearest rows ∪ BM25's best rows) are scored by every retriever, each run carrying
 * its scale over the reference sample. Fuse them with `zScoreFusion` (eval re-weights them first).
 */
export function scoreRuns(
  denseTop: Iterable<number>,
  bm25Top: Iterable<{ index: number }>,
  reference: number[],
  scorers: Scorer[],
): ScoreRun[] {
  const candidates = new Set(denseTop);
  for (const { index } of bm25Top) candidates.add(index);
  const rows = [...candidates];
  return scorers.map(({ score, weight, scale }) => ({
    scores: new Map(rows.map((row) => [row, score(row)])),
    scale: scale ?? scaleOf(reference.map(score)),
    weight,
  }));
}

/**
 * Weighted sum of z-scores, best first (ties to the lower id). A candidate missing from a run
 * gets the run's lowest reference score: absence ranks below weak presence, never above it.
 */
export function zScoreFusion(runs: ScoreRun[]): Scored[] {
  const standardised = runs.map(({ scores, scale, weight }) => {
    const z = zScaler(scale);
    return { scores, weight, z, missing: z(scale.min) };
  });
  const ids = new Set(runs.flatMap(({ scores }) => [...scores.keys()]));
  const fused: Scored[] = [];
  for (const id of ids) {
    let score = 0;
    for (const run of standardised) {
      const value = run.scores.get(id);
      score += run.weight * (value === undefined ? run.missing : run.z(value));
    }
    fused.push({ id, score });
  }
  return fused.sort((a, b) => b.score - a.score || a.id - b.id);
}

/** A score → z-score function from a scale (0 when the sample has no spread). */
export function zScaler({ mean, std }: Scale): (score: number) => number {
  return (score) => (std > 0 ? (score - mean) / std : 0);
}

/** The scale of a sample of scores. */
export function scaleOf(values: ArrayLike<number>): Scale {
  let sum = 0;
  let min = Infinity;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    min = Math.min(min, values[i]!);
  }
  const mean = values.length > 0 ? sum / values.length : 0;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return { mean, std: values.length > 0 ? Math.sqrt(squares / values.length) : 0, min: Number.isFinite(min) ? min : 0 };
}
