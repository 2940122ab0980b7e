/**
 * BM25's exact top k without scoring every passage that shares a word with the query: block-max
 * WAND (Ding & Suel 2011), document at a time. Each term's postings are cut into blocks of
 * `BLOCK` passages, each with an upper bound on what the term adds to a score there (`blockBounds`),
 * the largest of them the term's bound. The terms are kept in order of the passage under each
 * one's cursor; a passage is a candidate only when the bounds of the terms at or before it could
 * beat the k-th best score so far (the pivot), and it is scored only when the bounds of its own
 * blocks still could: otherwise every passage up to the end of those blocks is skipped. At a
 * million chunks the exhaustive way filled a table of every matching passage (most of the corpus
 * for a common word) to keep 100.
 *
 * The result is the exhaustive one to the bit: a passage's score is summed in the query's term
 * order, as term-at-a-time scoring sums it, and passages are visited in ascending order, so one
 * that only ties the k-th score never displaces it (ties go to the lower index).
 */
import { type ScoredPassage, TopK } from './top-k.js';

/** Postings per block of the bounds: small enough for bounds that vary along a list, large enough to skip much at once. */
export const BLOCK = 64;

export interface QueryTerm {
  /** Passages containing the term, ascending, and its count in each. */
  passages: Uint32Array;
  counts: Uint16Array;
  /** How often the query asks the term, times its idf. */
  weight: number;
  /** Per block of postings (`BLOCK`, unless a test asks for another size), at least the most the term adds to a score there, divided by `weight`. */
  blocks: Float64Array;
}

/**
 * Bounds are compared with this relative margin: a bound and the scores it bounds are rounded
 * differently (and summed in another order), and a difference of a few ulps must never prune a
 * passage that belongs in the top k. It costs nothing measurable in pruning.
 */
const MARGIN = 1 + 1e-9;

/** max tf / (tf + lengthNorm) over each block of a term's postings. */
export function blockBounds(passages: Uint32Array, counts: Uint16Array, lengthNorm: Float64Array, block = BLOCK): Float64Array {
  const bounds = new Float64Array(Math.ceil(passages.length / block));
  for (let i = 0; i < passages.length; i++) {
    const b = (i / block) | 0;
    bounds[b] = Math.max(bounds[b]!, counts[i]! / (counts[i]! + lengthNorm[passages[i]!]!));
  }
  return bounds;
}

/** The k best passages for `terms` (in the query's order), best first; `lengthNorm` is BM25's per-passage denominator part. */
export function blockMaxTopK(
  terms: QueryTerm[],
  lengthNorm: Float64Array,
  k: number,
  filter?: (passage: number) => boolean,
  block = BLOCK,
): ScoredPassage[] {
  if (k <= 0 || terms.length === 0) return [];
  const top = new TopK(k);
  const cursors = new Cursors(terms, block);
  const bounds = terms.map(({ weight, blocks }) => weight * blocks.reduce((max, bound) => Math.max(max, bound), 0));
  const contributions = new Float64Array(terms.length);
  let threshold = 0; // the k-th best score once k are kept; below that any score enters

  for (;;) {
    const pivot = cursors.pivot(bounds, threshold);
    if (pivot === END) break;
    // Terms before the pivot cannot make a passage before it win: move them to it.
    if (cursors.passage(cursors.order[0]!) < pivot) {
      cursors.advanceBefore(pivot, pivot);
      continue;
    }
    // Every term from the first to `at` is on the pivot; `blockReach` bounds any passage up to the end of their blocks.
    let at = 0;
    let blockReach = 0;
    let blockEnd = END;
    for (; at < terms.length && cursors.passage(cursors.order[at]!) === pivot; at++) {
      const t = cursors.order[at]!;
      blockReach += terms[t]!.weight * terms[t]!.blocks[cursors.block(t)]!;
      blockEnd = Math.min(blockEnd, cursors.blockEnd(t));
    }
    if (blockReach * MARGIN <= threshold) {
      // Nothing up to the end of these blocks (or the next term's passage) can win.
      const next = at < terms.length ? Math.min(blockEnd + 1, cursors.passage(cursors.order[at]!)) : blockEnd + 1;
      cursors.advanceBefore(pivot + 1, Math.max(next, pivot + 1));
      continue;
    }
    if (!filter || filter(pivot)) {
      contributions.fill(0);
      for (let i = 0; i < at; i++) {
        const t = cursors.order[i]!;
        const tf = terms[t]!.counts[cursors.position[t]!]!;
        contributions[t] = (terms[t]!.weight * tf) / (tf + lengthNorm[pivot]!);
      }
      // The exact score, summed in the query's order (adding 0 for an absent term changes no bit).
      let score = 0;
      for (let t = 0; t < terms.length; t++) score += contributions[t]!;
      top.offer(pivot, score); // a tie with the k-th score loses: this passage's index is higher
      if (top.full) threshold = top.worstScore;
    }
    cursors.advanceBefore(pivot + 1, pivot + 1);
  }
  return top.best();
}

/** Past the last passage. */
const END = 2 ** 32;

/** A cursor per term in its postings, and the terms in order of the passage under their cursors. */
class Cursors {
  readonly position: Int32Array;
  /** The passage under each term's cursor (END once exhausted). */
  private readonly current: Float64Array;
  /** Term indexes by ascending current passage. */
  readonly order: Int32Array;

  constructor(
    private readonly terms: QueryTerm[],
    private readonly size: number,
  ) {
    this.position = new Int32Array(terms.length);
    this.current = Float64Array.from(terms, ({ passages }) => passages[0] ?? END);
    this.order = Int32Array.from(terms, (_, t) => t).sort((a, b) => this.current[a]! - this.current[b]!);
  }

  passage(t: number): number {
    return this.current[t]!;
  }

  block(t: number): number {
    return (this.position[t]! / this.size) | 0;
  }

  /** The last passage of the block the term's cursor is in. */
  blockEnd(t: number): number {
    const { passages } = this.terms[t]!;
    return passages[Math.min(passages.length, (this.block(t) + 1) * this.size) - 1]!;
  }

  /**
   * The pivot: the passage of the first term (in passage order) at which the bounds of the terms so
   * far could beat `threshold`; no passage before it can (END: none at all).
   */
  pivot(bounds: number[], threshold: number): number {
    let reach = 0;
    for (const t of this.order) {
      const passage = this.current[t]!;
      if (passage === END) break;
      reach += bounds[t]!;
      if (reach * MARGIN > threshold) return passage;
    }
    return END;
  }

  /** Moves every cursor on a passage before `limit` to its first passage at or after `target`, and keeps the order. */
  advanceBefore(limit: number, target: number): void {
    const { order, current } = this;
    let moved = 0;
    for (; moved < order.length && current[order[moved]!]! < limit; moved++) {
      const t = order[moved]!;
      const { passages } = this.terms[t]!;
      this.position[t] = seek(passages, this.position[t]!, target);
      current[t] = passages[this.position[t]!] ?? END;
    }
    // Only the moved terms (a prefix) went forward: slide each, last first, to its place.
    for (let i = moved - 1; i >= 0; i--) {
      const t = order[i]!;
      let j = i;
      for (; j + 1 < order.length && current[order[j + 1]!]! < current[t]!; j++) order[j] = order[j + 1]!;
      order[j] = t;
    }
  }
}

/** The first position at or after `from` whose passage is ≥ `target` (galloping, then bisection). */
export function seek(list: Uint32Array, from: number, target: number): number {
  if (from >= list.length || list[from]! >= target) return from;
  // list[low] < target; double the step until list[high] ≥ target or the end.
  let low = from;
  let step = 1;
  let high = from + 1;
  while (high < list.length && list[high]! < target) {
    low = high;
    step *= 2;
    high = low + step;
  }
  high = Math.min(high, list.length);
  while (low + 1 < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]! < target) low = mid;
    else high = mid;
  }
  return high;
}
