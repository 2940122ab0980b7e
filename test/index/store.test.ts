import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DocumentRows, GenerationWriter } from '../../src/index/generation-writer.js';
import { momentsOf, packRows, referenceRows } from '../../src/index/reference-moments.js';
import { loadIndex } from '../../src/index/store.js';
import { DEFAULT_CHUNKER } from '../../src/text/chunker.js';
import { tempDir } from '../support/helpers.js';

const WIDTH = 8;

/** A generation of `documents` one-sentence, one-chunk documents with seeded pseudo-random vectors (no model needed). */
function writeGeneration(documents: number): string {
  const indexDir = tempDir('store-');
  const settings = { model: 'Xenova/all-MiniLM-L6-v2', rerankModels: [], dimension: WIDTH, chunker: DEFAULT_CHUNKER };
  const writer = new GenerationWriter(indexDir, settings, documents);
  let seed = 1;
  const vector = () => {
    const v = Float32Array.from({ length: WIDTH }, () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  for (let d = 0; d < documents; d++) {
    const text = `Document number ${d} says something.`;
    const rows: DocumentRows = {
      doc: {
        sha256: d.toString(16).padStart(64, '0'),
        title: `Title ${d}`,
        chunks: [{ start: 0, end: text.length, firstSentence: 0, lastSentence: 1 }],
        sentences: [{ start: 0, end: text.length }],
      },
      chunkVectors: vector(),
      sentenceVectors: vector(),
      rerankVectors: [],
      rerankSentenceVectors: [],
    };
    writer.add(`doc-${d}`, rows, text);
  }
  writer.publish();
  return indexDir;
}

describe('a generation on disk', () => {
  it('stores each table’s mean and covariance over its reference sample when the sample outnumbers the dimensions', () => {
    const index = loadIndex(writeGeneration(40))!;
    expect(index.referenceMoments).toBeDefined();
    for (const [name, table, moments] of [
      ['chunks', index.chunkVectors, index.referenceMoments!.chunks[0]!],
      ['sentences', index.sentenceVectors, index.referenceMoments!.sentences[0]!],
    ] as const) {
      const sample = referenceRows(table.length / WIDTH);
      const expected = momentsOf(
        packRows(sample, (row) => table.subarray(row * WIDTH, (row + 1) * WIDTH)),
        sample.length,
        WIDTH,
      );
      expect(moments.rows, name).toBe(40);
      expect([...moments.mean]).toEqual([...expected.mean]);
      expect([...moments.covariance]).toEqual([...expected.covariance]);
    }
  });

  it('leaves them out for a sample smaller than that (scoring it is cheaper)', () => {
    const indexDir = writeGeneration(WIDTH - 1);
    const index = loadIndex(indexDir)!;
    expect(index.referenceMoments).toBeUndefined();
    expect(existsSync(path.join(indexDir, index.manifest.generation, 'reference-moments.f64'))).toBe(false);
  });
});
