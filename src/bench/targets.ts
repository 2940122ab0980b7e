/**
 * The targets of the performance issue (24) and by how much each size misses them (0: met).
 * A target may change with the archive's size: it is given at some sizes and interpolated between
 * them on a log scale of chunks (so 80 ms at 1,000 and 110 ms at 1,000,000 is 95 ms at 31,623).
 */

/** One size's measurements as the bench prints them (only the fields the targets read). */
export type SizeResult = Record<string, unknown> & { n?: unknown; requested?: unknown };

interface Target {
  /** The field of a size's result it reads. */
  field: string;
  better: 'lower' | 'higher';
  /** [chunks, limit] points, by size. */
  points: Array<[number, number]>;
  /** Past the last point: keep its limit, or no target (it was only set up to there). */
  beyond: 'hold' | 'none';
}

const everywhere = (limit: number): Array<[number, number]> => [[1, limit]];

/** Seconds per 1,000 chunks of ingest: 20 on a CPU with AVX-512 VNNI (int8 dot products in one instruction), 45 without. */
export function ingestTarget(extensions: string[]): { seconds: number; basis: string } {
  return extensions.includes('avx512_vnni')
    ? { seconds: 20, basis: 'AVX-512 VNNI present: 20 s per 1,000 chunks' }
    : { seconds: 45, basis: 'no AVX-512 VNNI (AVX2 class): 45 s per 1,000 chunks' };
}

export function targetsFor(extensions: string[]): Target[] {
  return [
    // Everything before the reader (embedding the question, first stage, rows, BM25), rows in the page cache.
    { field: 'before_reader_p50_ms', better: 'lower', points: everywhere(30), beyond: 'hold' },
    { field: 'before_reader_p95_ms', better: 'lower', points: everywhere(60), beyond: 'hold' },
    { field: 'before_reader_rows_on_disk_p50_ms', better: 'lower', points: everywhere(60), beyond: 'hold' },
    // The whole question, the reader included.
    {
      field: 'query_p50_ms',
      better: 'lower',
      points: [
        [1_000, 80],
        [1_000_000, 110],
      ],
      beyond: 'hold',
    },
    {
      field: 'cold_start_ms',
      better: 'lower',
      points: [
        [100_000, 2_000],
        [1_000_000, 5_000],
      ],
      beyond: 'hold',
    },
    // RSS answering, the reader included: set for archives up to 100,000 chunks.
    { field: 'rss_mb', better: 'lower', points: [[100_000, 700]], beyond: 'none' },
    { field: 'ingest_s_per_1000_chunks', better: 'lower', points: everywhere(ingestTarget(extensions).seconds), beyond: 'hold' },
    { field: 'recall_at_10', better: 'higher', points: everywhere(0.99), beyond: 'hold' },
  ];
}

/** A target's limit at `chunks`: the first point's below it, log-interpolated between points, past the last as `beyond` says. */
export function limitAt(target: Pick<Target, 'points' | 'beyond'>, chunks: number): number | null {
  const { points } = target;
  const first = points[0]!;
  const last = points.at(-1)!;
  if (chunks <= first[0]) return first[1];
  if (chunks >= last[0]) return chunks === last[0] || target.beyond === 'hold' ? last[1] : null;
  const upper = points.findIndex(([n]) => n >= chunks);
  const [n0, v0] = points[upper - 1]!;
  const [n1, v1] = points[upper]!;
  const t = Math.log(chunks / n0) / Math.log(n1 / n0);
  return Number((v0 + t * (v1 - v0)).toFixed(3));
}

export interface TargetCheck {
  measured: number | null;
  target: number;
  /** How far the measurement is on the wrong side of the target (0: met; null: not measured at this size). */
  miss: number | null;
}

/** One size's targets: its chunks, and a check per target that applies at that size (by the field it reads). */
export type SizeTargets = { chunks: number; [field: string]: TargetCheck | number };

/** Every target at every size: what was measured, the target there, and the miss. Sizes are taken as asked for (`requested`), else as built (`n`). */
export function targetsReport(sizes: SizeResult[], extensions: string[]): { ingest_target: string; at: SizeTargets[] } {
  const targets = targetsFor(extensions);
  return {
    ingest_target: ingestTarget(extensions).basis,
    at: sizes.map((size) => {
      const chunks = Number(size.requested ?? size.n);
      const checks: Record<string, TargetCheck> = {};
      for (const target of targets) {
        const limit = limitAt(target, chunks);
        if (limit === null) continue;
        const value = size[target.field];
        const measured = typeof value === 'number' ? value : null;
        checks[target.field] = { measured, target: limit, miss: measured === null ? null : missBy(measured, limit, target.better) };
      }
      return { chunks, ...checks };
    }),
  };
}

function missBy(value: number, target: number, better: 'lower' | 'higher'): number {
  return better === 'lower' ? Number(Math.max(0, value - target).toFixed(2)) : Number(Math.max(0, target - value).toFixed(4));
}
