import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Engine, EngineOptions } from '../backend/types.js';
import type { LoadedDocument } from '../corpus/corpus.js';
import { readsTextOnDemand } from '../corpus/document-file.js';
import { openEngine } from '../engine/open.js';
import { type MirroredDocument, type Request, serializeError, type WorkerMessage } from './worker-engine.js';

/** Inside the worker thread: the real engine, driven by messages from worker-engine.ts. */
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);

function documentsOf(engine: Engine): MirroredDocument[] {
  // Only the fields the mirror on the main thread needs. A text read from its file on demand is not
  // sent (that would read the whole corpus): the mirror reads it the same way, checked against its hash.
  return engine.documents().map(({ id, copies }) => {
    const doc = engine.getDocument(id)! as LoadedDocument;
    const { title, publisher, author, date, url, path, bodyStart, sha256 } = doc;
    return {
      id,
      title,
      publisher,
      author,
      date,
      url,
      copies,
      path,
      bodyStart,
      sha256,
      text: readsTextOnDemand(doc) ? undefined : doc.text,
    };
  });
}

/**
 * On Linux a nice value belongs to a thread, and threads inherit it: lowering this one (and so
 * ONNX's threads, created when the models load) lets the main thread, which talks to Discord,
 * win the CPU whenever both want it, even on a small shared machine.
 */
function yieldCpuToMainThread(): void {
  if (process.platform !== 'linux') return; // elsewhere it would lower the whole process
  try {
    setPriority(10);
  } catch {
    // Not permitted here: the engine just competes as an equal.
  }
}

async function main(): Promise<void> {
  yieldCpuToMainThread();
  let engine: Engine;
  try {
    engine = await openEngine(workerData as EngineOptions, {
      onProgress: (done, total) => post({ type: 'progress', done, total }),
      onWarning: (message) => post({ type: 'warning', message }),
      onIngest: (summary) => post({ type: 'ingest', summary }),
      // Posted before the reply of the call that reloaded, so the main thread's mirror is never behind an answer.
      onReload: () => post({ type: 'documents', documents: documentsOf(engine) }),
    });
  } catch (error) {
    post({ type: 'failed', error: serializeError(error) });
    return;
  }
  port.on('message', (request: Request) => {
    const work = request.method === 'ask' ? engine.ask(request.question, request.options) : engine.refresh();
    work.then(
      (value) => post({ type: 'reply', id: request.id, value }),
      (error: unknown) => post({ type: 'reply', id: request.id, error: serializeError(error) }),
    );
  });
  post({ type: 'ready', documents: documentsOf(engine) });
}

await main();
