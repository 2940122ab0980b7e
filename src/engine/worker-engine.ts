import type { Worker } from 'node:worker_threads';
import type { EngineHooks, EngineOptions } from '../backend/types.js';
import { documentMeta } from '../core/documents.js';
import { DatabaseUnavailableError, UserError } from '../core/errors.js';
import type { Answer, AskOptions, CorpusDocument, DocumentMeta, QuoteEngine } from '../core/types.js';
import { startWorker } from '../core/worker-thread.js';
import { fileDocument, RecentTexts } from '../corpus/document-file.js';
import type { IngestSummary } from '../index/ingest.js';
import { IndexCorruptError } from '../index/manifest.js';

/**
 * The engine in a worker thread: embedding (ONNX runs synchronously on its calling thread),
 * HNSW, BM25 and index loading never block the thread that talks to Discord, so heartbeats and
 * acknowledgements keep their pace however many questions wait. Same `QuoteEngine` interface; the
 * documents (metadata and text, for rendering) are mirrored on this side so their lookups stay
 * synchronous, and refreshed whenever the worker reloads.
 */
export interface WorkerEngine extends QuoteEngine {
  /** Stops the worker; pending calls reject. */
  close(): Promise<void>;
}

/** Requests to the worker; each gets one `Reply` with the same id. */
export type Request = { id: number; method: 'ask'; question: string; options?: AskOptions } | { id: number; method: 'refresh' };

/** A document as the worker sends it: without its text when that is read from the file on demand. */
export type MirroredDocument = Omit<CorpusDocument, 'text'> & { sha256?: string; text?: string };

/** Everything the worker posts back. */
export type WorkerMessage =
  | { type: 'ready'; documents: MirroredDocument[] }
  | { type: 'documents'; documents: MirroredDocument[] }
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'reply'; id: number; error: SerializedError }
  | { type: 'failed'; error: SerializedError }
  | { type: 'progress'; done: number; total: number }
  | { type: 'warning'; message: string }
  | { type: 'ingest'; summary: IngestSummary };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  kind: 'unavailable' | 'user' | 'corrupt' | 'bug';
}

export function serializeError(error: unknown): SerializedError {
  const { name = 'Error', message = String(error), stack } = (error ?? {}) as Partial<Error>;
  const kind =
    error instanceof DatabaseUnavailableError
      ? 'unavailable'
      : error instanceof UserError
        ? 'user'
        : error instanceof IndexCorruptError
          ? 'corrupt'
          : 'bug';
  return { name, message, stack, kind };
}

/** The main thread's copy of the worker's documents; texts the worker reads on demand are read here the same way. */
function mirror(sent: MirroredDocument[]): Map<string, CorpusDocument> {
  const texts = new RecentTexts();
  return new Map(
    sent.map(({ text, sha256, ...fields }) => [
      fields.id,
      text !== undefined ? { ...fields, text } : fileDocument(fields.id, fields, fields.path, sha256!, texts),
    ]),
  );
}

/** Back into an error the adapters recognise: a UserError is still told to the user, not logged as a bug. */
function revive({ name, message, stack, kind }: SerializedError): Error {
  const error =
    kind === 'unavailable'
      ? new DatabaseUnavailableError(message)
      : kind === 'user'
        ? new UserError(message)
        : kind === 'corrupt'
          ? new IndexCorruptError(message)
          : new Error(message);
  error.name = name;
  if (stack) error.stack = stack;
  return error;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * Starts the worker, which opens the engine (building the index if needed), and resolves once it
 * answers. If the worker dies later (out of memory, a native fault), the calls in flight fail and
 * the next call starts a new one. Known limit: onnxruntime-node 1.14's addon cannot be loaded by a
 * thread started after one that loaded it has exited ("Module did not self-register", seen here),
 * so with the models a new worker fails to open in the same process; restarting the process
 * recovers (the sharding manager does that for a shard).
 */
export async function openWorkerEngine(options: EngineOptions, hooks: Omit<EngineHooks, 'onReload'> = {}): Promise<WorkerEngine> {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let documents = new Map<string, CorpusDocument>();
  /** Each document's other copies (a mirrored document reads its text from its file: it carries its fields only). */
  let copies = new Map<string, string[]>();
  let closed = false;

  const start = () => {
    const worker = spawn(options);
    const ready = new Promise<Worker>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready' || message.type === 'documents') {
          documents = mirror(message.documents);
          copies = new Map(message.documents.map((doc) => [doc.id, doc.copies ?? []]));
          if (message.type === 'ready') resolve(worker);
        } else if (message.type === 'failed') reject(revive(message.error));
        else if (message.type === 'reply') settle(pending, message);
        else report(message, hooks);
      });
      const fail = (error: Error) => {
        if (current === ready) current = null;
        reject(error);
        for (const call of pending.values()) call.reject(error);
        pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`the engine worker stopped (exit code ${code})`)));
    });
    ready.catch(() => worker.terminate());
    return ready;
  };
  let current: Promise<Worker> | null = start();
  await current;

  const call = async <T>(request: WithoutId<Request>): Promise<T> => {
    if (closed) throw new Error('the engine is closed');
    const worker = await (current ??= start());
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  };

  return {
    ask: (question, askOptions) => call<Answer>({ method: 'ask', question, options: askOptions }),
    refresh: () => call<boolean>({ method: 'refresh' }),
    documents: (): DocumentMeta[] => [...documents.values()].map((doc) => ({ ...documentMeta(doc), copies: copies.get(doc.id) ?? [] })),
    getDocument: (id) => documents.get(id),
    close: async () => {
      closed = true;
      const worker = await current?.catch(() => null);
      await worker?.terminate();
    },
  };
}

/** Resolve or reject the call a reply answers. */
function settle(pending: Map<number, Pending>, message: Extract<WorkerMessage, { type: 'reply' }>): void {
  const call = pending.get(message.id);
  pending.delete(message.id);
  if ('error' in message) call?.reject(revive(message.error));
  else call?.resolve(message.value);
}

/** What the engine thread reports on its own (ingest progress, warnings, an ingest's summary), to the hooks. */
function report(message: Extract<WorkerMessage, { type: 'progress' | 'warning' | 'ingest' }>, hooks: Omit<EngineHooks, 'onReload'>): void {
  if (message.type === 'progress') hooks.onProgress?.(message.done, message.total);
  else if (message.type === 'warning') hooks.onWarning?.(message.message);
  else hooks.onIngest?.(message.summary);
}

function spawn(options: EngineOptions): Worker {
  return startWorker(import.meta.url, 'worker-engine-thread', options);
}
