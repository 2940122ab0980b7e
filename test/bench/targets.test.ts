import { describe, expect, it } from 'vitest';
import { ingestTarget, limitAt, type TargetCheck, targetsReport } from '../../src/bench/targets.js';

const AVX2 = ['avx', 'avx2', 'fma'];
const VNNI = ['avx2', 'avx512f', 'avx512_vnni'];

describe('the targets of issue 24', () => {
  it('chooses the ingest target from the CPU flags read at run time', () => {
    expect(ingestTarget(VNNI).seconds).toBe(20);
    expect(ingestTarget(AVX2).seconds).toBe(45);
  });

  it('interpolates a target between its sizes on a log scale, and holds or ends it past the last', () => {
    const whole = {
      points: [
        [1_000, 80],
        [1_000_000, 110],
      ] as Array<[number, number]>,
      beyond: 'hold' as const,
    };
    expect(limitAt(whole, 500)).toBe(80);
    expect(limitAt(whole, 1_000)).toBe(80);
    expect(limitAt(whole, 31_623)).toBeCloseTo(95, 1);
    expect(limitAt(whole, 1_000_000)).toBe(110);
    expect(limitAt(whole, 5_000_000)).toBe(110);
    const rss = { points: [[100_000, 700]] as Array<[number, number]>, beyond: 'none' as const };
    expect(limitAt(rss, 1_000)).toBe(700);
    expect(limitAt(rss, 100_000)).toBe(700);
    expect(limitAt(rss, 1_000_000)).toBeNull();
  });

  it('reports each target at each size: what was measured, the target there and the miss (0: met)', () => {
    const sizes = [
      {
        requested: 1_000,
        n: 1_012,
        before_reader_p50_ms: 25,
        before_reader_p95_ms: 70,
        query_p50_ms: 90,
        rss_mb: 650,
        ingest_s_per_1000_chunks: 50,
        recall_at_10: 1,
      },
      { requested: 1_000_000, n: 1_000_420, before_reader_p50_ms: 31.5, cold_start_ms: 4_000, rss_mb: 5_000, recall_at_10: 0.985 },
    ];
    const report = targetsReport(sizes, AVX2);
    const [small, large] = report.at as Array<Record<string, TargetCheck> & { chunks: number }>;
    expect(small!.chunks).toBe(1_000);
    expect(small!.before_reader_p50_ms).toEqual({ measured: 25, target: 30, miss: 0 });
    expect(small!.before_reader_p95_ms).toEqual({ measured: 70, target: 60, miss: 10 });
    expect(small!.query_p50_ms).toEqual({ measured: 90, target: 80, miss: 10 });
    expect(small!.ingest_s_per_1000_chunks).toEqual({ measured: 50, target: 45, miss: 5 });
    expect(small!.rss_mb!.miss).toBe(0);
    // Not measured at this size: the target is named, the miss is unknown.
    expect(small!.before_reader_rows_on_disk_p50_ms).toEqual({ measured: null, target: 60, miss: null });
    expect(large!.chunks).toBe(1_000_000);
    expect(large!.before_reader_p50_ms!.miss).toBe(1.5);
    expect(large!.cold_start_ms).toEqual({ measured: 4_000, target: 5_000, miss: 0 });
    expect(large!.recall_at_10!.miss).toBeCloseTo(0.005, 4);
    expect(large!.query_p50_ms!.target).toBe(110);
    // RSS has a target only up to 100,000 chunks.
    expect(large!.rss_mb).toBeUndefined();
    expect(targetsReport(sizes, VNNI).at[0]!).toMatchObject({ ingest_s_per_1000_chunks: { target: 20, miss: 30 } });
  });
});
