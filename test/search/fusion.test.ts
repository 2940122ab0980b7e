import { describe, expect, it } from 'vitest';
import { referenceRows } from '../../src/index/reference-moments.js';
import { scaleOf, zScoreFusion } from '../../src/search/fusion.js';

describe('zScoreFusion', () => {
  it('standardises each run by its reference sample, then adds the weighted z-scores', () => {
    // Run A: reference mean 2, std 1. Run B: reference mean 0, std 10.
    const fused = zScoreFusion([
      {
        scores: new Map([
          [1, 3],
          [2, 2],
        ]),
        scale: scaleOf([1, 3, 1, 3]),
        weight: 1,
      },
      {
        scores: new Map([
          [1, 0],
          [2, 20],
        ]),
        scale: scaleOf([-10, 10, -10, 10]),
        weight: 0.5,
      },
    ]);
    // id 1: 1 * (3-2)/1 + 0.5 * 0/10 = 1;  id 2: 1 * 0 + 0.5 * 20/10 = 1 → tie, lower id first.
    expect(fused).toEqual([
      { id: 1, score: 1 },
      { id: 2, score: 1 },
    ]);
  });

  it('ranks a candidate a run did not score at that run’s lowest reference score', () => {
    const fused = zScoreFusion([
      {
        scores: new Map([
          [1, 5],
          [2, 5],
        ]),
        scale: scaleOf([4, 6]),
        weight: 1,
      },
      { scores: new Map([[1, 2]]), scale: scaleOf([0, 2]), weight: 1 },
    ]);
    // id 2 is missing from the second run: z(min=0) = -1, so it falls below id 1 (z = 1).
    expect(fused.map((hit) => hit.id)).toEqual([1, 2]);
    expect(fused[1]!.score).toBeCloseTo(-1);
  });

  it('gives a run without spread no say', () => {
    const fused = zScoreFusion([
      {
        scores: new Map([
          [1, 1],
          [2, 9],
        ]),
        scale: scaleOf([3, 3, 3]),
        weight: 5,
      },
      {
        scores: new Map([
          [1, 1],
          [2, 0],
        ]),
        scale: scaleOf([0, 1]),
        weight: 1,
      },
    ]);
    expect(fused.map((hit) => hit.id)).toEqual([1, 2]);
  });
});

describe('referenceRows', () => {
  it('takes every row of a small collection and evenly spaced rows of a large one', () => {
    expect(referenceRows(3)).toEqual([0, 1, 2]);
    const rows = referenceRows(10_000, 4);
    expect(rows).toEqual([0, 2500, 5000, 7500]);
    expect(referenceRows(10_000)).toHaveLength(2048);
  });
});
