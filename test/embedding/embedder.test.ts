import { beforeAll, describe, expect, it } from 'vitest';
import { Embedder, loadEmbedders } from '../../src/embedding/embedder.js';
import { modelsDir, TEST_MODEL } from '../support/helpers.js';

/** The largest difference of one coordinate between two tables of unit vectors. */
function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

// Same texts, other company: a long batch-mate (more padding for the short ones) and short ones.
const TEXT = 'Russia gave an emergency donation of 25,000 tonnes of wheat to address the food shortages on the island.';
const LONG = `${'The delegation met ministers, bankers and farmers over three days of talks in Havana. '.repeat(8)}It ended on Friday.`;
const OTHERS = ['Prices rose.', LONG, 'The minister arrived in Havana on Wednesday to meet officials of the government.'];

/**
 * A text's vector is a function of the text: the int8 models quantize activations with one scale
 * per tensor, so batching texts together moved a vector by up to 0.05 in one coordinate (cosine
 * 0.966); each text now runs alone. Tolerance 1e-6: floating-point noise, far below that effect.
 */
describe.each([TEST_MODEL, 'Xenova/e5-small-v2'])('Embedder (%s, the real model): vectors that do not depend on their batch', (model) => {
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await Embedder.load({ model, modelsDir: modelsDir(), threads: 2 });
  });

  it('gives a text the same vector alone and among any batch-mates, in any order', async () => {
    const alone = await embedder.embedPassages([TEXT]);
    for (const batch of [
      [...OTHERS, TEXT],
      [TEXT, LONG],
      [OTHERS[0]!, TEXT, OTHERS[2]!],
    ]) {
      const vectors = await embedder.embedPassages(batch);
      const row = batch.indexOf(TEXT);
      expect(maxDifference(alone, vectors.subarray(row * embedder.dimension, (row + 1) * embedder.dimension))).toBeLessThanOrEqual(1e-6);
    }
  });

  it('gives every text of a batch the vector it has alone', async () => {
    const together = await embedder.embedPassages([TEXT, ...OTHERS]);
    for (const [row, text] of [TEXT, ...OTHERS].entries()) {
      const alone = await embedder.embedPassages([text]);
      expect(maxDifference(alone, together.subarray(row * embedder.dimension, (row + 1) * embedder.dimension))).toBeLessThanOrEqual(1e-6);
    }
  });
});

describe('loadEmbedders (the real model): passages on every core', () => {
  it('gives the same vectors from its worker threads as from one thread', async () => {
    const options = { model: TEST_MODEL, rerankModels: [], modelsDir: modelsDir(), reader: null };
    const [single, pooled] = [await loadEmbedders({ ...options, workers: 0 }), await loadEmbedders({ ...options, workers: 2 })];
    // 300 texts (the pool takes lists of 256 or more), each of the four repeated among the others.
    const texts = Array.from({ length: 300 }, (_, i) => `${[TEXT, ...OTHERS][i % 4]} (${i % 7})`);
    const progress: number[] = [];
    const fromPool = await pooled.primary.embedPassages(texts, { onProgress: (done) => progress.push(done) });
    expect(maxDifference(await single.primary.embedPassages(texts), fromPool)).toBeLessThanOrEqual(1e-6);
    expect(progress.at(-1)).toBe(300);
  });

  it('embeds two models’ lists asked at once, each as it would alone (two lists at once in the workers once aborted the process)', async () => {
    const options = { model: TEST_MODEL, rerankModels: ['Xenova/e5-small-v2'], modelsDir: modelsDir(), reader: null, workers: 2 };
    const pooled = await loadEmbedders(options);
    const texts = Array.from({ length: 260 }, (_, i) => `${[TEXT, ...OTHERS][i % 4]} [${i % 5}]`);
    const [primary, rerank] = await Promise.all([pooled.primary.embedPassages(texts), pooled.rerankers[0]!.embedPassages(texts)]);
    const single = await loadEmbedders({ ...options, workers: 0 });
    expect(maxDifference(await single.primary.embedPassages(texts), primary)).toBeLessThanOrEqual(1e-6);
    expect(maxDifference(await single.rerankers[0]!.embedPassages(texts), rerank)).toBeLessThanOrEqual(1e-6);
  });
});
