import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { StageTimings } from '../core/types.js';
import { dotRow } from '../core/vectors.js';
import type { Hnsw } from '../index/graph.js';

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

/** The graph's recall@10 against `truth` and its search p50 at each efSearch (the graph keeps the last one set). */
export function efSweep(
  graph: Hnsw,
  queries: Float32Array[],
  truth: number[][],
  efs: number[],
): Array<{ ef: number; search_p50_ms: number; recall_at_10: number }> {
  return efs.map((ef) => {
    graph.setEf(ef);
    const { p50, results } = timed(queries, (q) => graph.searchKnn(Array.from(q), 10).neighbors);
    return { ef, search_p50_ms: round2(p50), recall_at_10: recall(results, truth) };
  });
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

/** One timed question: its whole time and its stages' (milliseconds). */
export interface TimedQuestion {
  total: number;
  stages: StageTimings;
}

/**
 * p50 / p95 of a pass of questions: the whole question, everything before the reader (the whole
 * less the forward passes of the reader and of the answer marker), and each stage's p50 ("other":
 * what no stage covers, such as reading the quoted texts, scoring sentences and choosing windows).
 */
export function passSummary(questions: TimedQuestion[]) {
  const of = (pick: (q: TimedQuestion) => number) => questions.map(pick);
  const stage = (name: keyof StageTimings) =>
    round2(
      quantile(
        of((q) => q.stages[name]),
        0.5,
      ),
    );
  const covered = (q: TimedQuestion) => Object.values(q.stages).reduce((sum, ms) => sum + ms, 0);
  const totals = of((q) => q.total);
  const beforeReader = of((q) => q.total - q.stages.reader - q.stages.marker);
  return {
    p50: round1(quantile(totals, 0.5)),
    p95: round1(quantile(totals, 0.95)),
    before_reader_p50: round1(quantile(beforeReader, 0.5)),
    before_reader_p95: round1(quantile(beforeReader, 0.95)),
    stages_p50: {
      embed: stage('embed'),
      first_stage: stage('firstStage'),
      rows: stage('rows'),
      bm25: stage('bm25'),
      reader: stage('reader'),
      marker: stage('marker'),
      other: round2(
        quantile(
          of((q) => q.total - covered(q)),
          0.5,
        ),
      ),
    },
  };
}
