import type { RowVectors } from './index-view.js';

/**
 * The fixed sample of rows that sets each retriever's score scale (fusion.ts), with every model's
 * vectors of it read once and packed row after row. Every question scores the whole sample under
 * every model; one pass over packed vectors instead of a row lookup per dot product took most of a
 * question's time out at 100,000 chunks (README, "Speed at archive sizes").
 */
export class ReferenceSample {
  /** Where each sample row sits in `rows` (and in the score arrays). */
  readonly position: Map<number, number>;
  private packed: Promise<Float32Array[]> | null = null;

  constructor(
    readonly rows: number[],
    private readonly read: (rows: number[]) => Promise<RowVectors>,
    private readonly models: number,
  ) {
    this.position = new Map(rows.map((row, i) => [row, i]));
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
      return Array.from({ length: this.models }, (_, m) => {
        const width = this.rows.length > 0 ? vectors.vector(m, this.rows[0]!).length : 0;
        const table = new Float32Array(this.rows.length * width);
        this.rows.forEach((row, i) => table.set(vectors.vector(m, row), i * width));
        return table;
      });
    })().catch((error: unknown) => {
      // A failed read (a database that went away) is tried again by the next question.
      this.packed = null;
      throw error;
    });
    return this.packed;
  }
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
