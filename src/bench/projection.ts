/**
 * What 10,000,000 chunks would cost, by arithmetic from the sizes measured: memory and disk grow
 * linearly (a fixed part plus a cost per chunk, from the two largest sizes), the graph build as
 * n log n (each insertion is a search through a graph of log n layers' depth), scaled from the
 * largest size. A projection, not a measurement: it says so, with its assumptions.
 */
import type { SizeResult } from './targets.js';

export const PROJECTED_CHUNKS = 10_000_000;

/** A measured point: chunks (as built) and the value. */
type Point = [number, number];

/** The sizes' values of `field`, by chunks; `sameStepAs`: only sizes built as the largest was (real or model-made vectors load different models). */
function pointsOf(sizes: SizeResult[], field: string, sameStepAs?: string): Point[] {
  const kind = sameStepAs && sizes.at(-1)?.[sameStepAs];
  return sizes
    .filter((size) => typeof size.n === 'number' && typeof size[field] === 'number')
    .filter((size) => !sameStepAs || size[sameStepAs] === kind)
    .map((size): Point => [size.n as number, size[field] as number])
    .sort((a, b) => a[0] - b[0]);
}

/**
 * A line through the two largest points, at `n`; null with fewer than two (one point cannot part
 * the fixed cost, such as the models, from the cost per chunk). A cost does not shrink as the archive grows: a falling line (noise between
 * close sizes) is taken as flat.
 */
export function linearAt(points: Point[], n: number): number | null {
  if (points.length < 2) return null;
  const [n2, y2] = points.at(-1)!;
  const [n1, y1] = points.at(-2)!;
  if (n1 === n2) return null;
  const slope = Math.max(0, (y2 - y1) / (n2 - n1));
  return y2 + slope * (n - n2);
}

/** c · n log n through the largest point, at `n`; null without points. */
export function nLogNAt(points: Point[], n: number): number | null {
  if (points.length === 0) return null;
  const [n2, y2] = points.at(-1)!;
  return (y2 / (n2 * Math.log(n2))) * n * Math.log(n);
}

const round = (value: number | null, digits = 0) => (value === null ? null : Number(value.toFixed(digits)));

/** The projection the bench prints as `projection_10m`. */
export function projectTenMillion(sizes: SizeResult[]) {
  const from = pointsOf(sizes, 'rss_mb').map(([n]) => n);
  const linear = (field: string) => round(linearAt(pointsOf(sizes, field), PROJECTED_CHUNKS));
  const ingest = pointsOf(sizes, 'ingest_s_per_1000_chunks').at(-1);
  return {
    chunks: PROJECTED_CHUNKS,
    from_chunks: from.slice(-2),
    rss_mb: linear('rss_mb'),
    ingest_peak_rss_mb: round(linearAt(pointsOf(sizes, 'ingest_peak_rss_mb', 'embedding'), PROJECTED_CHUNKS)),
    index_mb: linear('index_mb'),
    hnsw_build_s: round(nLogNAt(pointsOf(sizes, 'hnsw_build_s'), PROJECTED_CHUNKS)),
    ingest_h: ingest ? round((ingest[1] * PROJECTED_CHUNKS) / 1000 / 3600, 1) : null,
    assumptions: [
      'arithmetic from the measured sizes, not a run at 10,000,000 chunks',
      'RSS answering, peak RSS ingesting and the index on disk grow linearly: the line through the two largest sizes measured (a fixed part, such as the models, plus a cost per chunk, never falling; none from a single size); peak RSS ingesting only from sizes built as the largest was (model-made or real vectors)',
      'the HNSW build grows as n log n (each of n insertions searches a graph log n deep), scaled from the largest size: one thread, the same M and efConstruction',
      'ingest time keeps the largest size’s rate per 1,000 chunks (its embedding measured at the largest real size)',
      'the same mix of news and the same models; articles repeat past about 31,000',
    ],
  };
}
