/**
 * Score fusion: merge rankings from different retrievers (e.g. BM25 and dense vectors) whose
 * scores live on unrelated scales. All results are best first; ties go to the lower id.
 */

export interface Scored {
  id: number;
  score: number;
}

/** [min, max] of the values ([0, 0] when empty); a loop, since spreading a long list into Math.min overflows the stack. */
function extent(values: Iterable<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return min <= max ? [min, max] : [0, 0];
}

function bestFirst(scores: Map<number, number>): Scored[] {
  return [...scores].map(([id, score]) => ({ id, score })).sort((x, y) => y.score - x.score || x.id - y.id);
}

/**
 * Reciprocal rank fusion (Cormack et al. 2009): each ranking adds 1 / (k + rank), rank from 1.
 * Only the order of each ranking matters, not its scores; k = 60 damps the weight of the very top.
 */
export function reciprocalRankFusion(rankings: Scored[][], k = 60): Scored[] {
  const fused = new Map<number, number>();
  for (const ranking of rankings) {
    ranking.forEach(({ id }, i) => fused.set(id, (fused.get(id) ?? 0) + 1 / (k + i + 1)));
  }
  return bestFirst(fused);
}

/**
 * Weighted sum of z-scores: each run is standardised over its own candidates (mean 0, standard
 * deviation 1), so weights compare like with like.
 */
export function zScoreFusion(runs: Array<{ scores: Map<number, number>; weight: number }>): Scored[] {
  const normalised = runs.map(({ scores, weight }) => {
    const values = [...scores.values()];
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const std = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
    // A run whose scores are all equal says nothing about order: every candidate gets z = 0.
    const z = new Map([...scores].map(([id, score]) => [id, std > 0 ? (score - mean) / std : 0]));
    // A candidate a run did not return ranked below everything it did return, so it gets that
    // run's lowest z-score; 0 (the mean) would rank absence above weak presence.
    const [missing] = extent(z.values());
    return { z, missing, weight };
  });

  const ids = new Set(runs.flatMap(({ scores }) => [...scores.keys()]));
  const fused = new Map<number, number>();
  for (const id of ids) {
    let score = 0;
    for (const { z, missing, weight } of normalised) score += weight * (z.get(id) ?? missing);
    fused.set(id, score);
  }
  return bestFirst(fused);
}

/** Rescale scores to [0, 1] (best → 1, worst → 0); when all scores are equal, all become 1. */
export function minMaxNormalize(scores: Map<number, number>): Map<number, number> {
  const [min, max] = extent(scores.values());
  const range = max - min;
  return new Map([...scores].map(([id, score]) => [id, range > 0 ? (score - min) / range : 1]));
}
