/**
 * Ranking metrics with the definitions of trec_eval / pytrec_eval as used by BEIR.
 * `ranked` holds document ids best first, without duplicates; `relevant` maps document ids to
 * graded relevance (qrels). A document counts as relevant when its grade is > 0.
 */

/** nDCG@k with linear gains (gain = grade) and a log2(rank + 1) discount; the ideal ranking comes from the qrels. */
export function ndcgAtK(ranked: string[], relevant: Map<string, number>, k: number): number {
  assertDistinct(ranked);
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    const grade = relevant.get(id) ?? 0;
    if (grade > 0) dcg += grade / Math.log2(i + 2);
  });

  const idealGrades = [...relevant.values()].filter((grade) => grade > 0).sort((x, y) => y - x);
  let idcg = 0;
  idealGrades.slice(0, k).forEach((grade, i) => (idcg += grade / Math.log2(i + 2)));
  return idcg > 0 ? dcg / idcg : 0;
}

/** Share of the relevant documents found in the top k. */
export function recallAtK(ranked: string[], relevant: Map<string, number>, k: number): number {
  assertDistinct(ranked);
  const relevantCount = [...relevant.values()].filter((grade) => grade > 0).length;
  if (relevantCount === 0) return 0;
  const found = ranked.slice(0, k).filter((id) => (relevant.get(id) ?? 0) > 0).length;
  return found / relevantCount;
}

/** 1 / rank of the first relevant document in the top k, or 0 if there is none. */
export function mrrAtK(ranked: string[], relevant: Map<string, number>, k: number): number {
  assertDistinct(ranked);
  const rank = ranked.slice(0, k).findIndex((id) => (relevant.get(id) ?? 0) > 0);
  return rank < 0 ? 0 : 1 / (rank + 1);
}

export function mean(values: number[]): number {
  if (values.length === 0) throw new RangeError('mean of an empty list');
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** A ranking that names a document twice would count it twice (recall above 1): a caller's bug, never averaged in. */
function assertDistinct(ranked: string[]): void {
  if (new Set(ranked).size !== ranked.length) throw new RangeError('a ranking lists a document more than once');
}
