/**
 * Passages embedded on every core. A text runs alone (see Embedder), and one ONNX Runtime session
 * cannot run two texts at once from one JavaScript thread, so each worker thread holds its own
 * one-thread sessions of the models and takes slices of texts as it frees up.
 *
 * The workers live as long as the process (unref'd, never terminated): onnxruntime-node 1.14's addon
 * cannot be loaded again in a thread started after another that loaded it has exited
 * (docs/performance.md), so a pool is made once per process and models, and only for batch jobs
 * (ingest, eval, bench), never in a bot's engine.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../core/worker-thread.js';

export interface PoolModels {
  models: string[];
  modelsDir?: string;
}

/** A request to a worker: embed `texts` (passage prefix applied there) with `model`. */
export interface PoolRequest {
  id: number;
  model: string;
  texts: string[];
}
export type PoolReply = { type: 'ready' } | { type: 'error'; message: string } | { id: number; vectors?: Float32Array; error?: string };

/** Texts per message: enough to make a message's cost vanish, few enough to share the tail of a list. */
const SLICE = 32;

const pools = new Map<string, Promise<PassagePool>>();

export class PassagePool {
  private nextId = 0;
  /** Lists are embedded one after another: two at once in the same workers aborted the process (onnxruntime-node 1.14). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<number, { resolve: (v: Float32Array) => void; reject: (e: Error) => void }>();

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) {
      worker.on('message', (reply: PoolReply) => {
        if (!('id' in reply)) return;
        const waiting = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (reply.vectors) waiting?.resolve(reply.vectors);
        else waiting?.reject(new Error(reply.error ?? 'embedding worker failed'));
      });
      worker.unref();
    }
  }

  /** The pool of `size` workers for these models, made on first use and kept for the process. */
  static get(size: number, models: PoolModels): Promise<PassagePool> {
    const key = JSON.stringify([size, models.models, models.modelsDir]);
    let pool = pools.get(key);
    if (!pool) {
      pool = PassagePool.start(size, models);
      pools.set(key, pool);
    }
    return pool;
  }

  private static async start(size: number, models: PoolModels): Promise<PassagePool> {
    const workers = Array.from({ length: size }, () => startWorker(import.meta.url, 'passage-pool-thread', models));
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            worker.once('error', reject);
            worker.once('message', (reply: PoolReply) =>
              'type' in reply && reply.type === 'ready'
                ? resolve()
                : reject(new Error(`embedding worker: ${(reply as { message?: string }).message}`)),
            );
          }),
      ),
    );
    return new PassagePool(workers);
  }

  /** One row of vectors per text, in input order; slices go to whichever worker is free. */
  embed(model: string, texts: string[], dimension: number, onProgress?: (done: number, total: number) => void): Promise<Float32Array> {
    const run = this.queue.then(() => this.embedNow(model, texts, dimension, onProgress));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async embedNow(
    model: string,
    texts: string[],
    dimension: number,
    onProgress?: (done: number, total: number) => void,
  ): Promise<Float32Array> {
    const out = new Float32Array(texts.length * dimension);
    let next = 0;
    let done = 0;
    const drain = async (worker: Worker) => {
      while (next < texts.length) {
        const start = next;
        const end = Math.min(texts.length, start + SLICE);
        next = end;
        out.set(await this.request(worker, model, texts.slice(start, end)), start * dimension);
        done += end - start;
        onProgress?.(done, texts.length);
      }
    };
    // Referenced while they work (an unreferenced worker's reply would not keep the process waiting for it).
    for (const worker of this.workers) worker.ref();
    try {
      await Promise.all(this.workers.map(drain));
    } finally {
      for (const worker of this.workers) worker.unref();
    }
    return out;
  }

  private request(worker: Worker, model: string, texts: string[]): Promise<Float32Array> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, model, texts } satisfies PoolRequest);
    });
  }
}
