/**
 * Dot product of row `row` of a row-major table with a vector. All vectors here are
 * L2-normalised, so this is their cosine similarity.
 */
export function dotRow(table: Float32Array, row: number, vector: Float32Array): number {
  const offset = row * vector.length;
  let sum = 0;
  for (let d = 0; d < vector.length; d++) sum += table[offset + d]! * vector[d]!;
  return sum;
}

/** Rows [first, first + count) of a row-major table of `width` floats per row, without copying. */
export function tableRows(table: Float32Array, width: number, first: number, count: number): Float32Array {
  return table.subarray(first * width, (first + count) * width);
}

/** One table made of several, in order. */
export function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
