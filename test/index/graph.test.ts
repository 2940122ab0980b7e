import { describe, expect, it } from 'vitest';
import { buildGraph, efSearchFor } from '../../src/index/graph.js';

describe('the graph', () => {
  it('searches larger graphs with a larger efSearch: 600 up to 100,000 rows, 1,200 at a million', () => {
    expect(efSearchFor(10)).toBe(600);
    expect(efSearchFor(100_000)).toBe(600);
    expect(efSearchFor(1_000_000)).toBe(1_200);
    expect(efSearchFor(10_000_000)).toBe(2_400);
    for (let n = 100_000; n < 2_000_000; n += 50_000) expect(efSearchFor(n + 50_000)).toBeGreaterThanOrEqual(efSearchFor(n));
  });

  it('finds each stored vector as its own nearest neighbour', () => {
    const dimension = 8;
    const count = 200;
    const vectors = new Float32Array(count * dimension);
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    for (let row = 0; row < count; row++) {
      const v = Array.from({ length: dimension }, random);
      const norm = Math.hypot(...v);
      v.forEach((x, i) => (vectors[row * dimension + i] = x / norm));
    }
    const graph = buildGraph(vectors, dimension, count);
    expect(graph.getEf()).toBe(efSearchFor(count));
    for (const row of [0, 57, 199]) {
      expect(graph.searchKnn(Array.from(vectors.subarray(row * dimension, (row + 1) * dimension)), 1).neighbors).toEqual([row]);
    }
  });
});
