import { describe, expect, it } from 'vitest';
import { linearAt, nLogNAt, projectTenMillion } from '../../src/bench/projection.js';

describe('the 10M projection', () => {
  it('draws a line through the two largest sizes (a fixed part and a cost per chunk)', () => {
    expect(
      linearAt(
        [
          [1_000, 999],
          [100_000, 500],
          [1_000_000, 1_400],
        ],
        10_000_000,
      ),
    ).toBeCloseTo(10_400, 6);
    expect(linearAt([[1_000_000, 2_000]], 10_000_000)).toBeNull(); // one size cannot part fixed from per-chunk cost
    expect(linearAt([], 10)).toBeNull();
  });

  it('scales the graph build as n log n from the largest size', () => {
    const at10m = nLogNAt(
      [
        [100_000, 90],
        [1_000_000, 1_200],
      ],
      10_000_000,
    )!;
    expect(at10m).toBeCloseTo(1_200 * 10 * (Math.log(1e7) / Math.log(1e6)), 6);
    expect(at10m).toBeGreaterThan(12_000); // more than linear
  });

  it('projects memory, disk and build time from a run, with its assumptions', () => {
    const projection = projectTenMillion([
      { n: 100_000, rss_mb: 700, ingest_peak_rss_mb: 800, index_mb: 2_000, hnsw_build_s: 90, ingest_s_per_1000_chunks: 40 },
      { n: 1_000_000, rss_mb: 4_300, ingest_peak_rss_mb: 3_500, index_mb: 20_000, hnsw_build_s: 1_200, ingest_s_per_1000_chunks: 40 },
    ]);
    expect(projection.chunks).toBe(10_000_000);
    expect(projection.from_chunks).toEqual([100_000, 1_000_000]);
    expect(projection.rss_mb).toBe(40_300);
    expect(projection.ingest_peak_rss_mb).toBe(30_500);
    expect(projection.index_mb).toBe(200_000);
    expect(projection.hnsw_build_s).toBe(Math.round(1_200 * 10 * (Math.log(1e7) / Math.log(1e6))));
    expect(projection.ingest_h).toBeCloseTo(111.1, 1);
    expect(projection.assumptions.join(' ')).toMatch(/linear/);
    expect(projection.assumptions.join(' ')).toMatch(/n log n/);
  });

  it('takes a falling line as flat, and fits peak RSS ingesting only on sizes built as the largest was', () => {
    expect(
      linearAt(
        [
          [1_000, 520],
          [2_000, 510],
        ],
        10_000_000,
      ),
    ).toBe(510);
    const projection = projectTenMillion([
      { n: 1_000, embedding: 'measured', ingest_peak_rss_mb: 909 },
      { n: 2_000, embedding: 'model-made', ingest_peak_rss_mb: 600 },
      { n: 100_000, embedding: 'model-made', ingest_peak_rss_mb: 798 },
    ]);
    expect(projection.ingest_peak_rss_mb).toBe(Math.round(798 + (198 / 98_000) * 9_900_000));
  });

  it('leaves out what no size measured', () => {
    const projection = projectTenMillion([
      { n: 1_000, rss_mb: 400 },
      { n: 2_000, rss_mb: 420 },
    ]);
    expect(projection.hnsw_build_s).toBeNull();
    expect(projection.index_mb).toBeNull();
    expect(projection.rss_mb).toBe(Math.round(420 + 0.02 * 9_998_000));
  });
});
