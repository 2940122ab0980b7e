import { describe, expect, it } from 'vitest';
import { mean, mrrAtK, ndcgAtK, recallAtK } from '../../src/eval/metrics.js';

// d2 (grade 2) at rank 2, d4 (grade 1) at rank 4; d5 (grade 1) never retrieved; d3 judged non-relevant.
const ranked = ['d1', 'd2', 'd3', 'd4'];
const relevant = new Map([
  ['d2', 2],
  ['d3', 0],
  ['d4', 1],
  ['d5', 1],
]);

describe('ndcgAtK', () => {
  it('uses graded gains, a log2(rank + 1) discount and the ideal ranking from the qrels', () => {
    // IDCG@3 = 2/log2(2) + 1/log2(3) + 1/log2(4) = 2 + 0.63093 + 0.5 = 3.13093
    // DCG@3  = 2/log2(3) = 1.26186
    expect(ndcgAtK(ranked, relevant, 3)).toBeCloseTo(0.40303, 5);
    // DCG@4 = 1.26186 + 1/log2(5) = 1.69254; IDCG@4 = IDCG@3 (only three relevant documents).
    expect(ndcgAtK(ranked, relevant, 4)).toBeCloseTo(0.54059, 5);
  });

  it('is 1 for the ideal ranking and 0 without relevant documents', () => {
    expect(ndcgAtK(['d2', 'd4', 'd5'], relevant, 10)).toBeCloseTo(1, 12);
    expect(ndcgAtK(['d2', 'd5', 'd4'], relevant, 10)).toBeCloseTo(1, 12);
    expect(ndcgAtK(['d1', 'd3'], relevant, 10)).toBe(0);
    expect(ndcgAtK(ranked, new Map([['d1', 0]]), 10)).toBe(0);
  });
});

describe('recallAtK', () => {
  it('is the share of relevant (grade > 0) documents in the top k', () => {
    expect(recallAtK(ranked, relevant, 1)).toBe(0);
    expect(recallAtK(ranked, relevant, 3)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(ranked, relevant, 100)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(ranked, new Map(), 10)).toBe(0);
  });
});

describe('mrrAtK', () => {
  it('is 1 / rank of the first relevant document within k', () => {
    expect(mrrAtK(ranked, relevant, 10)).toBe(0.5);
    expect(mrrAtK(ranked, relevant, 1)).toBe(0);
    expect(mrrAtK(['d4', 'd2'], relevant, 10)).toBe(1);
  });
});

describe('rankings', () => {
  it('are refused when they list a document twice (it would count twice)', () => {
    const relevant = new Map([['a', 1]]);
    for (const metric of [ndcgAtK, recallAtK, mrrAtK]) expect(() => metric(['a', 'b', 'a'], relevant, 10)).toThrow(/more than once/);
  });
});

describe('mean', () => {
  it('averages and refuses an empty list', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(() => mean([])).toThrow(RangeError);
  });
});
