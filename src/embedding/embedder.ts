import { existsSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@xenova/transformers';
import { UserError } from '../core/errors.js';
import { tableRows } from '../core/vectors.js';
import { modelSpec, type ModelSpec } from './models.js';

export interface EmbedderOptions {
  model: string;
  /** A folder in transformers.js layout (<org>/<name>/onnx/model_quantized.onnx); unset = the Hugging Face hub. */
  modelsDir?: string;
}

export interface EmbedderSetOptions {
  model: string;
  rerankModels: string[];
  modelsDir?: string;
}

export type ProgressCallback = (done: number, total: number) => void;

/**
 * Sentence embeddings from a local ONNX model: batched, pooled and L2-normalised,
 * so that a dot product is the cosine similarity. Calls are serialised because
 * the one ONNX session is shared by every caller (CLI, bot, eval).
 */
export class Embedder {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly model: string,
    readonly spec: ModelSpec,
    private readonly extractor: FeatureExtractionPipeline,
  ) {}

  get dimension(): number {
    return this.spec.dimension;
  }

  static async load({ model, modelsDir }: EmbedderOptions): Promise<Embedder> {
    const spec = modelSpec(model);
    if (modelsDir) {
      const onnxFile = path.resolve(modelsDir, model, 'onnx', 'model_quantized.onnx');
      if (!existsSync(onnxFile)) {
        throw new UserError(
          `embedding model ${model} not found: looked for ${onnxFile} (MODELS_DIR=${modelsDir}); put the model there in transformers.js layout, or unset MODELS_DIR to download it from the Hugging Face hub`,
        );
      }
      env.localModelPath = path.resolve(modelsDir) + path.sep;
      env.allowRemoteModels = false;
    } else {
      env.allowRemoteModels = true;
    }
    try {
      const extractor = (await pipeline('feature-extraction', model, { quantized: true })) as FeatureExtractionPipeline;
      return new Embedder(model, spec, extractor);
    } catch (error) {
      const where = modelsDir ? `from ${modelsDir}` : 'from the Hugging Face hub (no internet? set MODELS_DIR to a local models folder)';
      throw new UserError(`could not load embedding model ${model} ${where}: ${(error as Error).message}`);
    }
  }

  /** One query, with the model's query prefix. */
  async embedQuery(text: string): Promise<Float32Array> {
    return this.run([this.spec.queryPrefix + text]);
  }

  /** Many passages, in batches; returns one row of `dimension` floats per text, in input order. */
  async embedPassages(texts: string[], options: { batchSize?: number; onProgress?: ProgressCallback } = {}): Promise<Float32Array> {
    const { batchSize = 16, onProgress } = options;
    const out = new Float32Array(texts.length * this.dimension);
    // Batching texts of similar length wastes less work on padding.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    for (let from = 0; from < order.length; from += batchSize) {
      const batch = order.slice(from, from + batchSize);
      const vectors = await this.run(batch.map((i) => this.spec.passagePrefix + texts[i]!));
      batch.forEach((textIndex, row) => {
        out.set(tableRows(vectors, this.dimension, row, 1), textIndex * this.dimension);
      });
      onProgress?.(Math.min(from + batchSize, texts.length), texts.length);
    }
    return out;
  }

  private run(texts: string[]): Promise<Float32Array> {
    const result = this.queue.then(async () => {
      const output = await this.extractor(texts, { pooling: this.spec.pooling, normalize: true });
      return output.data as Float32Array;
    });
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** The model that builds the graph and quotes, and the models that re-score its candidates. */
export interface Embedders {
  primary: Embedder;
  rerankers: Embedder[];
}

/** The primary model and the rerank models, loaded once each (a model listed twice is loaded once). */
export async function loadEmbedders({ model, rerankModels, modelsDir }: EmbedderSetOptions): Promise<Embedders> {
  const primary = await Embedder.load({ model, modelsDir });
  const rerankers: Embedder[] = [];
  for (const name of rerankModels.filter((name, i, all) => name !== model && all.indexOf(name) === i)) {
    rerankers.push(await Embedder.load({ model: name, modelsDir }));
  }
  return { primary, rerankers };
}
