import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { dotRow } from '../core/vectors.js';

/** The exact ten nearest rows of `table` to `q` (the truth HNSW's recall is measured against). */
export function topTen(table: Float32Array, q: Float32Array): number[] {
  const rows = table.length / q.length;
  const best: Array<[number, number]> = [];
  for (let row = 0; row < rows; row++) {
    const score = dotRow(table, row, q);
    if (best.length < 10 || score > best[best.length - 1]![1]) {
      best.push([row, score]);
      best.sort((a, b) => b[1] - a[1]);
      if (best.length > 10) best.pop();
    }
  }
  return best.map(([row]) => row);
}

export function timed<T>(queries: Float32Array[], run: (q: Float32Array) => T): { p50: number; results: T[] } {
  const times: number[] = [];
  const results = queries.map((q) => {
    const t = performance.now();
    const result = run(q);
    times.push(performance.now() - t);
    return result;
  });
  return { p50: quantile(times, 0.5), results };
}

export function recall(approx: number[][], truth: number[][]): number {
  let hits = 0;
  approx.forEach((found, i) => (hits += found.filter((row) => truth[i]!.includes(row)).length));
  return Number((hits / (truth.length * 10)).toFixed(4));
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
}

export const round1 = (x: number) => Number(x.toFixed(1));
export const round2 = (x: number) => Number(x.toFixed(2));
