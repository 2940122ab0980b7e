import { type FSWatcher, watch } from 'node:fs';
import path from 'node:path';
import { loadEngineModels, Reloads, readCorpus } from '../backend/engine-parts.js';
import type { Engine, EngineHooks, EngineOptions } from '../backend/types.js';
import { documentMeta } from '../core/documents.js';
import type { Corpus } from '../corpus/corpus.js';
import { CORPUS_CACHE } from '../corpus/corpus-cache.js';
import { CorpusChanges, manifestStamp } from '../index/change-signal.js';
import { currentGeneration, ensureIndex } from '../index/freshness.js';
import { localIndexView } from './index-view.js';
import { loadPublishedIndex } from './published-index.js';

/**
 * The engine over the local index: open the models, corpus and index files, keep them current
 * (reload when the index or the corpus changed, or watch the folder), and hand questions to the
 * Answerer.
 */
export async function openLocalEngine(options: EngineOptions, hooks: EngineHooks = {}): Promise<Engine> {
  const { embedders, answerer } = await loadEngineModels(options);
  // Watching starts before the corpus is read (`loading`), so no change between the two can be missed.
  const corpusChanges = new CorpusChanges(options.corpusDir);
  let ingesting: Promise<void> | null = null;
  const load = async (start = false) => {
    // A start neither watches nor stats every file now (the corpus cache, while no folder changed): the check soon after does.
    corpusChanges.loading(!start);
    const loaded = readLocalCorpus({ ...options, trustFolders: start }, hooks.onWarning);
    corpusChanges.loaded(loaded.fingerprint ?? '', !start);
    // One background ingest at a time; the check before the next question loads what it published (and starts another).
    const background =
      options.backgroundIngest && !ingesting ? (run: Promise<void>) => (ingesting = run.finally(() => (ingesting = null))) : undefined;
    const index = options.readOnly
      ? loadPublishedIndex(loaded, embedders, options.indexDir, hooks)
      : await ensureIndex(loaded, embedders, options.indexDir, hooks, background);
    if (!options.readOnly) loaded.saveCache?.();
    // Only what the index covers can be quoted (less than the corpus when a newer index could not be written).
    const corpus = { ...loaded, documents: loaded.documents.filter((doc) => index.documents.has(doc.id)) };
    const documents = new Map(corpus.documents.map((doc) => [doc.id, doc]));
    // The manifest as it is after loading; if it already names another generation, the next check reloads.
    const stamp = currentGeneration(options.indexDir) === index.manifest.generation ? manifestStamp(options.indexDir) : null;
    return { stamp, corpus, documents, answerer: answerer(localIndexView(index), documents) };
  };

  let state = await load(true);

  const reloadIfChanged = async (): Promise<boolean> => {
    // Constant time whatever the corpus size: one stat of the manifest, and the watcher's flag.
    if (manifestStamp(options.indexDir) === state.stamp && !(await corpusChanges.changed())) return false;
    try {
      state = await load();
    } catch (error) {
      // The last good state keeps answering until a newer one loads and verifies.
      hooks.onWarning?.(`could not load the new index or corpus, still answering from the previous one: ${(error as Error).message}`);
      return false;
    }
    hooks.onReload?.();
    return true;
  };
  const reloads = new Reloads(reloadIfChanged);

  const watcher = options.watch && !options.readOnly ? refreshOnChanges(options.corpusDir, reloads.refresh, hooks.onWarning) : null;
  if (state.corpus.verified === false) setTimeout(() => void reloads.refresh().catch(() => undefined), VERIFY_AFTER_MS).unref();

  return {
    embedders,
    ask: async (question, askOptions) => {
      await reloads.settled();
      return state.answerer.ask(question, askOptions);
    },
    documents: () => state.corpus.documents.map((doc) => ({ ...documentMeta(doc), copies: state.answerer.copiesOf(doc.id) })),
    getDocument: (id) => state.documents.get(id),
    refresh: reloads.refresh,
    close: () => {
      watcher?.close();
      corpusChanges.close();
    },
  };
}

/** How long after a start from the corpus cache the engine checks every corpus file (one walk and a stat each) and starts watching the folders; after a whole read, the check before the next question does. */
const VERIFY_AFTER_MS = 2_000;

/** The corpus folder, read through the cache beside the index (unchanged files are not read again). */
export function readLocalCorpus(options: EngineOptions & { trustFolders?: boolean }, onWarning?: (message: string) => void): Corpus {
  return readCorpus(
    options.corpusDir,
    { maxDocumentBytes: options.maxDocumentBytes, cache: path.join(options.indexDir, CORPUS_CACHE), trustFolders: options.trustFolders },
    onWarning,
  );
}

/** Watch the corpus folder (WATCH_CORPUS) and refresh once it settles after a change. */
function refreshOnChanges(corpusDir: string, refresh: () => Promise<boolean>, onWarning?: (message: string) => void): FSWatcher {
  let timer: NodeJS.Timeout | undefined;
  return watch(corpusDir, { recursive: true }, () => {
    // Editors write in bursts; wait for the folder to settle.
    clearTimeout(timer);
    timer = setTimeout(() => refresh().catch((error) => onWarning?.(`re-index failed: ${(error as Error).message}`)), 500);
  });
}
