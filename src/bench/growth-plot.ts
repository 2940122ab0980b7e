/**
 * How each cost grows with the archive, drawn as SVG from one bench result (`npm run bench`, or
 * `--plot result.json` to redraw a saved one): one small panel per cost, chunks on a log scale (memory, disk and build
 * time on a log scale too),
 * the target as a dashed line where there is one, and the 10M projection as an open circle.
 * Written by hand: a few lines and circles do not need a charting library.
 */
import { limitAt, type SizeResult, targetsFor } from './targets.js';

interface Panel {
  field: string;
  title: string;
  unit: string;
  /** Divide values by this for display (ms to s, MB to GB). */
  per?: number;
  /** A log scale for values that span decades (log-log: linear growth is a slope of one). */
  logY?: boolean;
}

export const PANELS: Panel[] = [
  { field: 'before_reader_p50_ms', title: 'Question before the reader, p50', unit: 'ms' },
  { field: 'reader_p50_ms', title: 'The reader, p50', unit: 'ms' },
  { field: 'query_p50_ms', title: 'Whole question, p50', unit: 'ms' },
  { field: 'before_reader_rows_on_disk_p50_ms', title: 'Before reader, rows from disk, p50', unit: 'ms' },
  { field: 'cold_start_ms', title: 'Cold start', unit: 's', per: 1000 },
  { field: 'rss_mb', title: 'RSS answering', unit: 'MB', logY: true },
  { field: 'index_mb', title: 'Index on disk', unit: 'GB', per: 1024, logY: true },
  { field: 'hnsw_build_s', title: 'HNSW build, one thread', unit: 's', logY: true },
];

const COLUMNS = 4;
const WIDTH = 250;
const HEIGHT = 190;
const PLOT = { left: 44, right: 12, top: 28, bottom: 30 };

export interface GrowthInput {
  sizes: SizeResult[];
  projection_10m?: Record<string, unknown> | null;
  /** A line under the panels (machine, commit). */
  caption?: string;
}

export function growthSvg(input: GrowthInput): string {
  const projection = input.projection_10m ?? null;
  const projectedAt = projection && typeof projection.chunks === 'number' ? projection.chunks : null;
  const chunks = input.sizes.map((size) => Number(size.n)).filter((n) => n > 0);
  const xs = projectedAt ? [...chunks, projectedAt] : chunks;
  const decades = { from: Math.floor(Math.log10(Math.min(...xs, 1000))), to: Math.ceil(Math.log10(Math.max(...xs, 10_000))) };
  const rows = Math.ceil(PANELS.length / COLUMNS);
  const width = COLUMNS * WIDTH;
  const height = rows * HEIGHT + 24;
  const panels = PANELS.map((panel, i) => {
    const projected = projection && typeof projection[panel.field] === 'number' ? (projection[panel.field] as number) : null;
    const body = panelSvg(panel, input.sizes, decades, projectedAt && projected !== null ? [projectedAt, projected] : null);
    return `<g transform="translate(${(i % COLUMNS) * WIDTH},${Math.floor(i / COLUMNS) * HEIGHT})">${body}</g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="10">`,
    '<title>How the costs of quotebot grow with the archive (chunks, log scale)</title>',
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...panels,
    `<text x="8" y="${height - 8}" fill="#555">${escapeXml(input.caption ?? '')} Dots: measured. Dashed line: target. Open circle: 10M projection (arithmetic). RSS, disk and build time on log scales.</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function panelSvg(panel: Panel, sizes: SizeResult[], decades: { from: number; to: number }, projected: [number, number] | null): string {
  const per = panel.per ?? 1;
  const points = sizes
    .filter((size) => typeof size[panel.field] === 'number')
    .map((size) => [Number(size.n), (size[panel.field] as number) / per] as [number, number]);
  const target = targetsFor([]).find((t) => t.field === panel.field);
  const targetLine = target
    ? sampleDecades(decades).flatMap((n) => {
        const limit = limitAt(target, n);
        return limit === null ? [] : [[n, limit / per] as [number, number]];
      })
    : [];
  const shown = projected ? [projected[0], projected[1] / per] : null;
  const values = [...points.map((p) => p[1]), ...targetLine.map((p) => p[1]), ...(shown ? [shown[1]!] : [])];
  const axis = yAxis(values, panel.logY ?? false);
  const inner = { w: WIDTH - PLOT.left - PLOT.right, h: HEIGHT - PLOT.top - PLOT.bottom };
  const x = (n: number) => PLOT.left + ((Math.log10(n) - decades.from) / (decades.to - decades.from)) * inner.w;
  const y = (v: number) => PLOT.top + inner.h - axis.fraction(v) * inner.h;
  const xy = ([n, v]: [number, number]) => `${x(n).toFixed(1)},${y(v).toFixed(1)}`;
  const parts = [
    `<text x="${PLOT.left}" y="14" font-weight="bold">${escapeXml(panel.title)} (${panel.unit})</text>`,
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${inner.w}" height="${inner.h}" fill="none" stroke="#ccc"/>`,
  ];
  for (let d = decades.from; d <= decades.to; d++) {
    const at = x(10 ** d).toFixed(1);
    parts.push(`<line x1="${at}" y1="${PLOT.top}" x2="${at}" y2="${PLOT.top + inner.h}" stroke="#eee"/>`);
    parts.push(`<text x="${at}" y="${PLOT.top + inner.h + 12}" text-anchor="middle">${chunkLabel(10 ** d)}</text>`);
  }
  for (const value of axis.ticks) {
    parts.push(`<text x="${PLOT.left - 4}" y="${(y(value) + 3).toFixed(1)}" text-anchor="end">${numberLabel(value)}</text>`);
  }
  if (targetLine.length > 0)
    parts.push(`<polyline class="target" points="${targetLine.map(xy).join(' ')}" fill="none" stroke="#c33" stroke-dasharray="4 3"/>`);
  if (points.length === 0) parts.push(`<text x="${PLOT.left + 8}" y="${PLOT.top + 16}" fill="#999">not measured</text>`);
  const series = points.map((p) => `<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="3" fill="#236"/>`);
  if (points.length > 1) series.unshift(`<polyline points="${points.map(xy).join(' ')}" fill="none" stroke="#236" stroke-width="1.5"/>`);
  if (shown && points.length > 0) {
    const end: [number, number] = [shown[0]!, shown[1]!];
    series.push(
      `<polyline class="projection" points="${xy(points.at(-1)!)} ${xy(end)}" fill="none" stroke="#236" stroke-dasharray="2 3"/>`,
    );
    series.push(
      `<circle class="projection" cx="${x(end[0]).toFixed(1)}" cy="${y(end[1]).toFixed(1)}" r="3.5" fill="white" stroke="#236"/>`,
    );
  }
  parts.push(`<g class="series" data-series="${panel.field}">${series.join('')}</g>`);
  parts.push(`<text x="${PLOT.left + inner.w / 2}" y="${HEIGHT - 6}" text-anchor="middle" fill="#555">chunks</text>`);
  return parts.join('\n');
}

/** A linear axis from 0 to a readable ceiling in four steps, or a log one over whole decades. */
function yAxis(values: number[], log: boolean): { fraction: (v: number) => number; ticks: number[] } {
  const positive = values.filter((v) => v > 0);
  if (log && positive.length > 0) {
    const from = Math.floor(Math.log10(Math.min(...positive)));
    const to = Math.max(from + 1, Math.ceil(Math.log10(Math.max(...positive))));
    const ticks = Array.from({ length: to - from + 1 }, (_, i) => 10 ** (from + i));
    return { fraction: (v) => (Math.log10(Math.max(v, 10 ** from)) - from) / (to - from), ticks };
  }
  const top = niceCeiling(Math.max(...values, 1e-9));
  return { fraction: (v) => v / top, ticks: [0, 1, 2, 3, 4].map((i) => (top * i) / 4) };
}

/** Points along the x axis for drawing a target that changes with size: each decade and two between. */
function sampleDecades({ from, to }: { from: number; to: number }): number[] {
  const out: number[] = [];
  for (let d = from; d <= to; d += 1 / 3) out.push(Math.round(10 ** d));
  return out;
}

/** The next of 1, 2, 2.5, 5 × a power of ten at or above `value`. */
export function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((nice) => nice >= value * (1 - 1e-12))!;
}

function chunkLabel(n: number): string {
  return n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n);
}

function numberLabel(value: number): string {
  if (value >= 10_000) return `${Number((value / 1000).toPrecision(3))}k`;
  return value >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
