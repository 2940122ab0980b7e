import path from 'node:path';
import type { EngineOptions, IndexBackend } from '../backend/types.js';
import { ingest } from '../index/ingest.js';
import { WRITER_WAIT_MS } from '../index/lock.js';
import { openLocalEngine, readLocalCorpus } from './engine.js';
import { localIndexView } from './index-view.js';

/** The local backend: generations of hnswlib and vector files in `indexDir` (src/index/), one writer at a time. */
export function localBackend(options: EngineOptions): IndexBackend {
  return {
    kind: 'local',
    openEngine: (hooks) => openLocalEngine(options, hooks),
    readCorpus: (onWarning) => readLocalCorpus(options, onWarning),
    async ingest(corpus, embedders, hooks = {}) {
      // A second ingest waits its turn (saying so), then finds little left to do.
      const { summary } = await ingest(corpus, embedders, options.indexDir, { ...hooks, lockWaitMs: WRITER_WAIT_MS });
      corpus.saveCache?.();
      return { summary, where: indexFolder(options.indexDir) };
    },
    serve: async (index, corpus) => ({ view: localIndexView(index), documents: new Map(corpus.documents.map((doc) => [doc.id, doc])) }),
  };
}

/** Where a local ingest published: said in its summary, so nobody has to guess which folder was written. */
export function indexFolder(indexDir: string): string {
  return `the index folder ${path.resolve(indexDir)}`;
}
