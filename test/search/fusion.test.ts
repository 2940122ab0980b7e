import { describe, expect, it } from 'vitest';
import { minMaxNormalize, reciprocalRankFusion, zScoreFusion } from '../../src/search/fusion.js';

const ranking = (...ids: number[]) => ids.map((id, i) => ({ id, score: 100 - i }));

describe('reciprocalRankFusion', () => {
  it('sums 1 / (k + rank) over the rankings', () => {
    const fused = reciprocalRankFusion([ranking(1, 2, 3), ranking(3, 1)]);
    // 1: 1/61 + 1/62 ≈ 0.03252, 3: 1/63 + 1/61 ≈ 0.03227, 2: 1/62 ≈ 0.01613
    expect(fused.map((hit) => hit.id)).toEqual([1, 3, 2]);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(fused[2]!.score).toBeCloseTo(1 / 62, 12);
  });

  it('uses the given k and ignores the raw scores', () => {
    const fused = reciprocalRankFusion([[{ id: 7, score: 1e9 }, { id: 8, score: -5 }]], 1);
    expect(fused).toEqual([
      { id: 7, score: 1 / 2 },
      { id: 8, score: 1 / 3 },
    ]);
  });

  it('breaks ties by the lower id', () => {
    expect(reciprocalRankFusion([ranking(5), ranking(4)]).map((hit) => hit.id)).toEqual([4, 5]);
  });
});

describe('zScoreFusion', () => {
  it('sums weighted z-scores, giving missing candidates the run minimum', () => {
    // Run A: mean 2, std 1 → z(1) = 1, z(2) = -1; A's minimum is -1.
    const a = new Map([
      [1, 3],
      [2, 1],
    ]);
    // Run B: mean 5, std √14 → z(2) = 5/√14, z(3) = -1/√14, z(4) = -4/√14 (the minimum).
    const b = new Map([
      [2, 10],
      [3, 4],
      [4, 1],
    ]);
    const fused = zScoreFusion([
      { scores: a, weight: 1 },
      { scores: b, weight: 0.5 },
    ]);
    const s = Math.sqrt(14);
    expect(fused.map((hit) => hit.id)).toEqual([1, 2, 3, 4]);
    expect(fused.map((hit) => hit.score)).toEqual([
      expect.closeTo(1 + 0.5 * (-4 / s), 12),
      expect.closeTo(-1 + 0.5 * (5 / s), 12),
      expect.closeTo(-1 + 0.5 * (-1 / s), 12),
      expect.closeTo(-1 + 0.5 * (-4 / s), 12),
    ]);
  });

  it('gives z = 0 to every candidate of a run with equal scores', () => {
    const fused = zScoreFusion([{ scores: new Map([[3, 0.7]]), weight: 2 }]);
    expect(fused).toEqual([{ id: 3, score: 0 }]);
  });

  it('returns nothing for no candidates', () => {
    expect(zScoreFusion([{ scores: new Map(), weight: 1 }])).toEqual([]);
  });
});

describe('minMaxNormalize', () => {
  it('maps the worst score to 0 and the best to 1', () => {
    const scores = new Map([
      [1, 2],
      [2, 4],
      [3, 3],
    ]);
    expect(minMaxNormalize(scores)).toEqual(
      new Map([
        [1, 0],
        [2, 1],
        [3, 0.5],
      ]),
    );
  });

  it('maps equal scores to 1 and keeps an empty map empty', () => {
    expect(minMaxNormalize(new Map([[9, -3]]))).toEqual(new Map([[9, 1]]));
    expect(minMaxNormalize(new Map())).toEqual(new Map());
  });
});
