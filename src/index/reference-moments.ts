/**
 * The fixed reference sample of a collection and what a generation stores about it: which rows
 * it holds, and each model's mean and covariance over them. Written with the index (store.ts), read
 * by the Answerer's score scales (src/search/reference-sample.ts, fusion.ts).
 */
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic.js';
import { readAligned, type VectorFiles } from './vector-file.js';

/** Enough rows to estimate a mean and a standard deviation well, few enough to score in a few milliseconds. */
export const REFERENCE_SAMPLE = 2048;

/** Evenly spaced rows of a collection of `count` rows, at most `max` of them: the same rows for every query. */
export function referenceRows(count: number, max = REFERENCE_SAMPLE): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * count) / max));
}

/**
 * One model's vectors over the reference sample, summed up: their mean and covariance. The mean
 * and spread of any query's scores over the sample follow from them exactly (q·μ and √(qᵀCq)),
 * at 384 × 384 multiplications per model instead of 2,048 × 384. Computed when a generation is
 * written (computing them costs about 0.2 s per table here, too slow for a start).
 */
export interface Moments {
  /** Rows the moments were taken over (they are valid only for the same sample). */
  rows: number;
  mean: Float64Array;
  /** Row-major, width × width (population covariance). */
  covariance: Float64Array;
}

/** Every model's moments of the chunk and of the sentence reference samples, primary model first. */
export interface ReferenceMoments {
  chunks: Moments[];
  sentences: Moments[];
}

/** The vectors of `rows` (`vectorOf` gives one), one after another in one array. */
export function packRows(rows: number[], vectorOf: (row: number) => Float32Array): Float32Array {
  const width = rows.length > 0 ? vectorOf(rows[0]!).length : 0;
  const table = new Float32Array(rows.length * width);
  rows.forEach((row, i) => table.set(vectorOf(row), i * width));
  return table;
}

/** Mean and covariance of `rows` packed vectors of `width` floats. */
export function momentsOf(packed: Float32Array, rows: number, width: number): Moments {
  const mean = new Float64Array(width);
  for (let i = 0; i < rows; i++) for (let a = 0; a < width; a++) mean[a]! += packed[i * width + a]!;
  if (rows > 0) for (let a = 0; a < width; a++) mean[a]! /= rows;
  // Upper triangle of Σ (x − μ)(x − μ)ᵀ, four rows at a time (a quarter of the loads and stores of
  // the sums: 2,048 rows × 384 dimensions in about 0.2 s here instead of 0.43), then mirrored.
  const covariance = new Float64Array(width * width);
  const c = [0, 1, 2, 3].map(() => new Float64Array(width));
  for (let i = 0; i < rows; i += 4) {
    const block = Math.min(4, rows - i);
    for (let k = 0; k < 4; k++) {
      for (let a = 0; a < width; a++) c[k]![a] = k < block ? packed[(i + k) * width + a]! - mean[a]! : 0;
    }
    const [c0, c1, c2, c3] = c as [Float64Array, Float64Array, Float64Array, Float64Array];
    for (let a = 0; a < width; a++) {
      const x0 = c0[a]!;
      const x1 = c1[a]!;
      const x2 = c2[a]!;
      const x3 = c3[a]!;
      const base = a * width;
      for (let b = a; b < width; b++) covariance[base + b]! += x0 * c0[b]! + x1 * c1[b]! + x2 * c2[b]! + x3 * c3[b]!;
    }
  }
  for (let a = 0; a < width; a++) {
    for (let b = a; b < width; b++) {
      const value = rows > 0 ? covariance[a * width + b]! / rows : 0;
      covariance[a * width + b] = value;
      covariance[b * width + a] = value;
    }
  }
  return { rows, mean, covariance };
}

/**
 * The reference samples' moments of every table (chunk tables, then sentence tables), as float64:
 * per table its sample size, its width, the mean and the covariance (see reference-sample.ts).
 */
export function writeMoments(file: string, files: VectorFiles): void {
  const tables = [...files.chunks, ...files.sentences].map((table) => {
    const rows = referenceRows(table.rows);
    const vectors = table.read(rows);
    const packed = packRows(rows, (row) => vectors.get(row)!);
    return momentsOf(packed, rows.length, table.width);
  });
  const parts = tables.flatMap(({ rows, mean, covariance }) => [Float64Array.of(rows, mean.length), mean, covariance]);
  const out = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  writeFileAtomic(file, new Uint8Array(out.buffer));
}

export function readMoments(file: string, files: VectorFiles): ReferenceMoments {
  const bytes = readAligned(file);
  if (bytes.byteLength % 8 !== 0) throw new Error(`${path.basename(file)} is not a table of float64`);
  const values = new Float64Array(bytes.buffer);
  let at = 0;
  const next = (width: number): Moments => {
    const [rows, stored] = [values[at]!, values[at + 1]!];
    if (stored !== width || at + 2 + width + width * width > values.length)
      throw new Error(`${path.basename(file)} does not match the tables`);
    const mean = values.subarray(at + 2, at + 2 + width);
    const covariance = values.subarray(at + 2 + width, at + 2 + width + width * width);
    at += 2 + width + width * width;
    return { rows, mean, covariance };
  };
  const moments = { chunks: files.chunks.map((table) => next(table.width)), sentences: files.sentences.map((table) => next(table.width)) };
  if (at !== values.length) throw new Error(`${path.basename(file)} does not match the tables`);
  return moments;
}
