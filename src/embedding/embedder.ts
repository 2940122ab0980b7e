import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@xenova/transformers';
import ort from 'onnxruntime-node';
import { UserError } from '../core/errors.js';
import { type ModelSpec, modelSpec } from './models.js';
import { PassagePool, type PoolModels } from './passage-pool.js';
import { QuoteReader, READER_THREADS } from './reader.js';
import { arenaOptions } from './session-options.js';

export interface EmbedderOptions {
  model: string;
  /**
   * ONNX Runtime threads (default 1). Texts run one at a time, and a sentence of ~30 tokens ran at
   * 16.4k tokens/s on one thread against 12.9k on two here (the second only waits for the first);
   * two pay only for long texts (300 tokens: 14.6k against 11.3k), which ingest never embeds.
   */
  threads?: number;
  /** A folder in transformers.js layout (<org>/<name>/onnx/model_quantized.onnx); unset = the Hugging Face hub. */
  modelsDir?: string;
  /** ONNX Runtime's memory arena (default on); see `EmbedderSetOptions.memoryArena`. */
  memoryArena?: boolean;
}

export interface EmbedderSetOptions {
  model: string;
  rerankModels: string[];
  modelsDir?: string;
  threads?: number;
  /**
   * ONNX Runtime's CPU memory arena (default on). Off, the three embedders and the reader held
   * 36–42 MB less while answering here, and a question took a few percent longer: an answering
   * engine turns it off, batch jobs keep it.
   */
  memoryArena?: boolean;
  /** Folder of the quote reader (models/quote-reader); unset or null: none (ingest never needs it). */
  reader?: string | null;
  /**
   * Worker threads that embed long lists of passages, one text at a time each (passage-pool.ts).
   * Default: one per core for batch jobs (`threads` unset: ingest, eval, bench), none when `threads`
   * is given (an engine answering questions).
   */
  workers?: number;
}

export type ProgressCallback = (done: number, total: number) => void;

/** What ingest and retrieval need from a sentence-embedding model (the real one below, or a stand-in in benchmarks). */
export interface TextEmbedder {
  readonly model: string;
  readonly spec: ModelSpec;
  readonly dimension: number;
  embedQuery(text: string): Promise<Float32Array>;
  embedPassages(texts: string[], options?: { onProgress?: ProgressCallback }): Promise<Float32Array>;
  /** Tokens each text becomes (with special tokens, after truncation): what the model really processes. */
  countTokens(texts: string[]): number[];
}

/** How passage vectors are made, for caches keyed by content: other vectors come from another recipe. */
export const VECTOR_RECIPE = 'int8, each text alone';
/** Lists shorter than this are embedded here: starting the pool's workers costs a few seconds. */
const POOL_MIN_TEXTS = 256;
/** Longer inputs are truncated: every model here has 512 positions. */
const MAX_TOKENS = 512;

/**
 * Sentence embeddings from a local ONNX model: tokenised by transformers.js, run by ONNX Runtime
 * directly (so batch shape and threads are ours to choose, unlike the `pipeline` helper), pooled as
 * the model was trained (CLS or mean) and L2-normalised, so that a dot product is the cosine.
 * Calls are serialised because one session is shared by every caller (CLI, bot, eval).
 *
 * Every text runs alone, a batch of one: the int8 models quantize their activations with one scale
 * per tensor (DynamicQuantizeLinear), so in a batch a text's vector would depend on its batch-mates
 * and its padding (cosine down to 0.966 against the same text alone). Alone, a text's vector is a
 * function of the text, the same at ingest, in eval and as a question, and no padding is computed.
 */
export class Embedder implements TextEmbedder {
  private queue: Promise<unknown> = Promise.resolve();
  private pool?: { size: number; models: PoolModels };

  private constructor(
    readonly model: string,
    readonly spec: ModelSpec,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly session: ort.InferenceSession,
  ) {}

  get dimension(): number {
    return this.spec.dimension;
  }

  static async load({ model, modelsDir, threads, memoryArena }: EmbedderOptions): Promise<Embedder> {
    const spec = modelSpec(model);
    let onnxFile: string | undefined;
    if (modelsDir) {
      onnxFile = path.resolve(modelsDir, model, 'onnx', 'model_quantized.onnx');
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
      const tokenizer = await AutoTokenizer.from_pretrained(model);
      // Without MODELS_DIR the weights come through transformers.js's hub download and cache, like the tokenizer.
      const weights = modelsDir ? onnxFile! : await hubWeights(model);
      const sessionOptions: ort.InferenceSession.SessionOptions = {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: threads ?? 1,
        ...arenaOptions(memoryArena),
      };
      const session =
        typeof weights === 'string'
          ? await ort.InferenceSession.create(weights, sessionOptions)
          : await ort.InferenceSession.create(weights, sessionOptions);
      return new Embedder(model, spec, tokenizer, session);
    } catch (error) {
      const where = modelsDir ? `from ${modelsDir}` : 'from the Hugging Face hub (no internet? set MODELS_DIR to a local models folder)';
      throw new UserError(`could not load embedding model ${model} ${where}: ${(error as Error).message}`);
    }
  }

  /** One query, with the model's query prefix. */
  async embedQuery(text: string): Promise<Float32Array> {
    return this.run([this.spec.queryPrefix + text]);
  }

  /** Many passages, each run alone (see the class comment); returns one row of `dimension` floats per text, in input order. */
  async embedPassages(texts: string[], options: { onProgress?: ProgressCallback } = {}): Promise<Float32Array> {
    if (this.pool && texts.length >= POOL_MIN_TEXTS) {
      const pool = await PassagePool.get(this.pool.size, this.pool.models);
      return pool.embed(this.model, texts, this.dimension, options.onProgress);
    }
    const out = new Float32Array(texts.length * this.dimension);
    for (const [i, text] of texts.entries()) {
      out.set(await this.run([this.spec.passagePrefix + text]), i * this.dimension);
      // Progress every 64 texts: a callback per sentence would cost more than it tells.
      if ((i + 1) % 64 === 0 || i + 1 === texts.length) options.onProgress?.(i + 1, texts.length);
    }
    return out;
  }

  /** Send long lists of passages to `size` worker threads holding `models` (same vectors: each text still runs alone). */
  usePool(size: number, models: PoolModels): void {
    this.pool = size > 1 ? { size, models } : undefined;
  }

  countTokens(texts: string[]): number[] {
    return texts.map((text) => Math.min(this.tokenizer.encode(text).length, MAX_TOKENS));
  }

  private run(texts: string[]): Promise<Float32Array> {
    const result = this.queue.then(() => this.forward(texts));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async forward(texts: string[]): Promise<Float32Array> {
    // (No max_length: with padding on, transformers.js 2.17 would pad every batch to it. The tokenizer truncates at the model's limit.)
    const encoded = this.tokenizer(texts, { padding: true, truncation: true }) as Record<string, { data: BigInt64Array; dims: number[] }>;
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of this.session.inputNames) {
      const input = encoded[name];
      if (!input) throw new Error(`the model wants an input "${name}" that the tokenizer does not make`);
      feeds[name] = new ort.Tensor('int64', input.data, input.dims);
    }
    const output = (await this.session.run(feeds))[this.session.outputNames[0]!]!;
    const [batch, length, width] = output.dims as [number, number, number];
    return pool(output.data as Float32Array, encoded.attention_mask!.data, batch, length, width, this.spec.pooling);
  }
}

/** Token states → one unit vector per text: the first token's state (CLS) or the mean over real tokens. */
export function pool(
  states: Float32Array,
  mask: BigInt64Array,
  batch: number,
  length: number,
  width: number,
  pooling: 'cls' | 'mean',
): Float32Array {
  const out = new Float32Array(batch * width);
  for (let b = 0; b < batch; b++) {
    const row = out.subarray(b * width, (b + 1) * width);
    if (pooling === 'cls') {
      row.set(states.subarray(b * length * width, b * length * width + width));
    } else {
      let count = 0;
      for (let t = 0; t < length; t++) {
        if (mask[b * length + t] === 0n) continue;
        count++;
        const offset = (b * length + t) * width;
        for (let d = 0; d < width; d++) row[d]! += states[offset + d]!;
      }
      for (let d = 0; d < width; d++) row[d]! /= Math.max(count, 1);
    }
    normalise(row);
  }
  return out;
}

export function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let d = 0; d < vector.length; d++) norm += vector[d]! * vector[d]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let d = 0; d < vector.length; d++) vector[d]! /= norm;
  return vector;
}

/** The quantized weights through transformers.js's hub download and cache (used only without MODELS_DIR). */
async function hubWeights(model: string): Promise<Uint8Array> {
  const hub = '@xenova/transformers/src/utils/hub.js'; // not in its typings, but the module `pipeline` itself uses
  const { getModelFile } = (await import(hub)) as {
    getModelFile: (model: string, file: string, fatal: boolean, options: object) => Promise<Uint8Array>;
  };
  return getModelFile(model, 'onnx/model_quantized.onnx', true, {});
}

/** The model that builds the graph and quotes, the models that re-score its candidates, and the reader that picks the quote. */
export interface Embedders {
  primary: TextEmbedder;
  rerankers: TextEmbedder[];
  /** Absent: quote selection uses the fitted signals alone. */
  reader?: QuoteReader;
}

/** The primary model and the rerank models, loaded once each (a model listed twice is loaded once). */
export async function loadEmbedders(options: EmbedderSetOptions): Promise<Embedders> {
  const { model, rerankModels, modelsDir, threads, reader, workers, memoryArena } = options;
  const primary = await Embedder.load({ model, modelsDir, threads, memoryArena });
  const rerankers: Embedder[] = [];
  for (const name of rerankModels.filter((name, i, all) => name !== model && all.indexOf(name) === i)) {
    rerankers.push(await Embedder.load({ model: name, modelsDir, threads, memoryArena }));
  }
  const poolSize = workers ?? (threads === undefined ? availableParallelism() : 0);
  const models = { models: [primary, ...rerankers].map((e) => e.model), modelsDir };
  for (const embedder of [primary, ...rerankers]) embedder.usePool(poolSize, models);
  if (!reader) return { primary, rerankers };
  return { primary, rerankers, reader: await QuoteReader.load(reader, READER_THREADS, memoryArena) };
}
