import { describe, expect, it } from 'vitest';
import { dotRow } from '../../src/core/vectors.js';
import { momentsOf, packRows } from '../../src/index/reference-moments.js';
import { scaleOf } from '../../src/search/fusion.js';
import type { RowVectors } from '../../src/search/index-view.js';
import { ReferenceSample } from '../../src/search/reference-sample.js';

// Two models, six rows of four floats each.
const tables = [0, 1].map((m) => Float32Array.from({ length: 24 }, (_, i) => Math.sin(i * 0.7 + m)));
const view: RowVectors = {
  dot: (m, row, query) => dotRow(tables[m]!, row, query),
  vector: (m, row) => tables[m]!.subarray(row * 4, row * 4 + 4),
};

describe('ReferenceSample', () => {
  it('scores every sample row under every model as a row-by-row dot product does', async () => {
    let reads = 0;
    const sample = new ReferenceSample([0, 2, 5], async () => (reads++, view), 2);
    const queries = [Float32Array.of(0.1, -0.4, 0.3, 0.2), Float32Array.of(-0.5, 0.2, 0.1, 0.7)];
    const scores = await sample.scores(queries);
    for (const m of [0, 1]) [0, 2, 5].forEach((row, i) => expect(scores[m]![i]).toBeCloseTo(view.dot(m, row, queries[m]!), 12));
    await sample.scores(queries);
    expect(reads).toBe(1); // read once, then packed
  });

  it('handles a width that is not a multiple of four', async () => {
    const odd = Float32Array.from({ length: 10 }, (_, i) => i + 1); // two rows of five
    const oddView: RowVectors = { dot: (_m, row, q) => dotRow(odd, row, q), vector: (_m, row) => odd.subarray(row * 5, row * 5 + 5) };
    const [scores] = await new ReferenceSample([0, 1], async () => oddView, 1).scores([Float32Array.of(1, 0, 0, 0, 2)]);
    expect([...scores!]).toEqual([1 + 10, 6 + 20]);
  });

  it('reads again after a failed read', async () => {
    let calls = 0;
    const sample = new ReferenceSample(
      [1],
      async () => {
        if (calls++ === 0) throw new Error('database went away');
        return view;
      },
      2,
    );
    const queries = [new Float32Array(4).fill(1), new Float32Array(4).fill(1)];
    await expect(sample.scores(queries)).rejects.toThrow('database went away');
    expect((await sample.scores(queries))[0]![0]).toBeCloseTo(view.dot(0, 1, queries[0]!), 10);
  });

  it('gives from stored moments the same scales as scoring the sample, without reading it', async () => {
    const rows = [0, 1, 3, 4, 5];
    const moments = [0, 1].map((m) =>
      momentsOf(
        packRows(rows, (row) => view.vector(m, row)),
        rows.length,
        4,
      ),
    );
    const queries = [Float32Array.of(0.1, -0.4, 0.3, 0.2), Float32Array.of(-0.5, 0.2, 0.1, 0.7)];
    let reads = 0;
    const fromMoments = await new ReferenceSample(rows, async () => (reads++, view), 2, moments).scales(queries);
    expect(reads).toBe(0);
    const fromScores = (await new ReferenceSample(rows, async () => view, 2).scores(queries)).map(scaleOf);
    for (const m of [0, 1]) {
      expect(fromMoments[m]!.mean).toBeCloseTo(fromScores[m]!.mean, 12);
      expect(fromMoments[m]!.std).toBeCloseTo(fromScores[m]!.std, 12);
      expect(fromScores[m]!.std).toBeGreaterThan(0.05);
    }
  });

  it('ignores moments taken over another sample and scores the sample instead', async () => {
    const moments = [0, 1].map((m) =>
      momentsOf(
        packRows([0, 1], (row) => view.vector(m, row)),
        2,
        4,
      ),
    );
    let reads = 0;
    const queries = [Float32Array.of(1, 0, 0, 0), Float32Array.of(0, 1, 0, 0)];
    const scales = await new ReferenceSample([0, 1, 2], async () => (reads++, view), 2, moments).scales(queries);
    expect(reads).toBe(1);
    expect(scales[0]!.mean).toBeCloseTo((view.dot(0, 0, queries[0]!) + view.dot(0, 1, queries[0]!) + view.dot(0, 2, queries[0]!)) / 3, 12);
  });
});
