/**
 * Model-made vectors without running the model, for index sizes whose real embedding would take
 * hours here: each text's vector mixes two vectors the real model made for real news sentences,
 * chosen by a hash of the text, plus a little noise. The vectors keep the real ones' clustered,
 * anisotropic shape, which is what HNSW recall and speed depend on; the costs of everything after
 * embedding (graph, tables, BM25, quoting) are real. Quality measured on them means nothing.
 */
import type { ProgressCallback, TextEmbedder } from '../embedding/embedder.js';
import { normalise } from '../embedding/embedder.js';
import { fnv1a } from './news-corpus.js';

export class SyntheticEmbedder implements TextEmbedder {
  constructor(
    private readonly real: TextEmbedder,
    /** Unit vectors the real model made, row-major. */
    private readonly pool: Float32Array,
  ) {}

  get model() {
    return this.real.model;
  }
  get spec() {
    return this.real.spec;
  }
  get dimension() {
    return this.real.dimension;
  }

  embedQuery(text: string): Promise<Float32Array> {
    return this.real.embedQuery(text);
  }

  async embedPassages(texts: string[], options: { onProgress?: ProgressCallback } = {}): Promise<Float32Array> {
    const out = new Float32Array(texts.length * this.dimension);
    texts.forEach((text, i) => out.set(this.vector(text), i * this.dimension));
    options.onProgress?.(texts.length, texts.length);
    return out;
  }

  countTokens(texts: string[]): number[] {
    return this.real.countTokens(texts);
  }

  private vector(text: string): Float32Array {
    const rows = this.pool.length / this.dimension;
    const h = fnv1a(text);
    const a = h % rows;
    const b = Math.imul(h, 2654435761) >>> 0;
    const v = new Float32Array(this.dimension);
    let noise = h >>> 0;
    for (let d = 0; d < this.dimension; d++) {
      noise = Math.imul(noise ^ (noise >>> 15), 2246822507) >>> 0;
      v[d] = this.pool[a * this.dimension + d]! + 0.5 * this.pool[(b % rows) * this.dimension + d]! + (noise / 2 ** 32 - 0.5) * 0.1;
    }
    return normalise(v);
  }
}
