import { type Moments, packRows } from '../index/reference-moments.js';
import type { Scale } from './fusion.js';
import { scaleOf } from './fusion.js';
import type { RowVectors } from './index-view.js';

/**
 * The fixed sample of rows that sets each retriever's score scale (fusion.ts). With stored moments
 * a question's scales cost one quadratic form per model; without them (PostgreSQL, an index held in
 * memory, a generation written before moments were stored) every model's vectors of the sample are
 * read once, packed row after row, and every question scores the whole sample.
 */
export class ReferenceSample {
  private packed: Promise<Float32Array[]> | null = null;

  constructor(
    readonly rows: number[],
    private readonly read: (rows: number[]) => Promise<RowVectors>,
    private readonly models: number,
    private readonly moments?: Moments[],
  ) {
    // Moments of another sample (a sample size changed since they were written) would be wrong: not used.
    if (moments && (moments.length !== models || moments.some((m) => m.rows !== rows.length))) this.moments = undefined;
  }

  /** Model m's scale (mean, spread, minimum) of its scores with `queries[m]` over the sample. */
  async scales(queries: Float32Array[]): Promise<Scale[]> {
    if (this.moments) return queries.map((query, m) => scaleFromMoments(this.moments![m]!, query));
    return (await this.scores(queries)).map(scaleOf);
  }

  /** Model m's score (cosine with `queries[m]`) of every sample row, in `rows` order. */
  async scores(queries: Float32Array[]): Promise<Float64Array[]> {
    const packed = await this.pack();
    return queries.map((query, m) => {
      const table = packed[m]!;
      const width = query.length;
      const out = new Float64Array(this.rows.length);
      for (let i = 0; i < this.rows.length; i++) out[i] = packedDot(table, i * width, query);
      return out;
    });
  }

  private pack(): Promise<Float32Array[]> {
    this.packed ??= (async () => {
      const vectors = await this.read(this.rows);
      return Array.from({ length: this.models }, (_, m) => packRows(this.rows, (row) => vectors.vector(m, row)));
    })().catch((error: unknown) => {
      // A failed read (a database that went away) is tried again by the next question.
      this.packed = null;
      throw error;
    });
    return this.packed;
  }
}

/**
 * The scale of `query`'s scores over a sample from its moments: mean q·μ, spread √(qᵀCq). The
 * sample's minimum is not known from them; −1, the lowest cosine there is, stands in for it (it only
 * ranks a candidate some run did not score, and the Answerer has every run score every candidate).
 */
export function scaleFromMoments({ mean, covariance }: Moments, query: Float32Array): Scale {
  const width = query.length;
  let centre = 0;
  let variance = 0;
  for (let a = 0; a < width; a++) {
    centre += mean[a]! * query[a]!;
    const base = a * width;
    let off = 0;
    for (let b = a + 1; b < width; b++) off += covariance[base + b]! * query[b]!;
    variance += query[a]! * (covariance[base + a]! * query[a]! + 2 * off);
  }
  return { mean: centre, std: Math.sqrt(Math.max(0, variance)), min: -1 };
}

/**
 * Dot product of the row at `offset` with `query`, with four running sums: twice as fast here as
 * one (the additions no longer wait on each other), at a rounding difference of about 1e-16.
 */
function packedDot(table: Float32Array, offset: number, query: Float32Array): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let e = 0;
  const whole = query.length - (query.length % 4);
  let d = 0;
  for (; d < whole; d += 4) {
    a += table[offset + d]! * query[d]!;
    b += table[offset + d + 1]! * query[d + 1]!;
    c += table[offset + d + 2]! * query[d + 2]!;
    e += table[offset + d + 3]! * query[d + 3]!;
  }
  for (; d < query.length; d++) a += table[offset + d]! * query[d]!;
  return a + b + c + e;
}
