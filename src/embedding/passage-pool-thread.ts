import { parentPort, workerData } from 'node:worker_threads';
import { Embedder } from './embedder.js';
import type { PoolModels, PoolReply, PoolRequest } from './passage-pool.js';

/** Inside a worker of the passage pool: one-thread sessions of every model, embedding what passage-pool.ts sends. */
const port = parentPort!;
const { models, modelsDir } = workerData as PoolModels;
const post = (reply: PoolReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

try {
  const embedders = new Map<string, Embedder>();
  for (const model of models) embedders.set(model, await Embedder.load({ model, modelsDir, threads: 1 }));
  port.on('message', async ({ id, model, texts }: PoolRequest) => {
    try {
      const vectors = await embedders.get(model)!.embedPassages(texts);
      post({ id, vectors }, [vectors.buffer as ArrayBuffer]);
    } catch (error) {
      post({ id, error: (error as Error).message });
    }
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'error', message: (error as Error).message });
}
