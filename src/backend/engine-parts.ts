import { type Corpus, type LoadedDocument, type LoadOptions, loadCorpus } from '../corpus/corpus.js';
import { loadEmbedders } from '../embedding/embedder.js';
import { modelSpec } from '../embedding/models.js';
import { Answerer, DEFAULT_ANSWERER_SETTINGS } from '../search/answerer.js';
import type { IndexView } from '../search/index-view.js';
import type { EngineOptions } from './types.js';

/** What both backends' engines start from: the models, and the Answerer settings the options ask for. */
export async function loadEngineModels(options: EngineOptions) {
  // Answering runs one small input at a time: the arena's memory is worth more than its few percent of speed.
  const embedders = await loadEmbedders({ ...options, threads: options.embeddingThreads ?? 1, memoryArena: false });
  const settings = { ...DEFAULT_ANSWERER_SETTINGS, minRelevance: options.minRelevance ?? modelSpec(options.model).minRelevance };
  return {
    embedders,
    answerer: (view: IndexView, documents: Map<string, LoadedDocument>) => new Answerer(view, documents, embedders, settings),
  };
}

/** Read the corpus folder, telling `onWarning` about every skipped file and front matter warning. */
export function readCorpus(corpusDir: string, options: LoadOptions, onWarning?: (message: string) => void): Corpus {
  const corpus = loadCorpus(corpusDir, options);
  for (const { file, reason } of corpus.skipped) onWarning?.(`skipped ${file}: ${reason}`);
  for (const { file, message } of corpus.warnings ?? []) onWarning?.(`${file}: ${message}`);
  return corpus;
}

/**
 * An engine's reload, one at a time: concurrent callers share the one running, and a question
 * waits for it (`settled`) so that it is answered from the state the reload brings.
 */
export class Reloads {
  private running: Promise<boolean> | null = null;

  constructor(private readonly reloadIfChanged: () => Promise<boolean>) {}

  readonly refresh = (): Promise<boolean> => (this.running ??= this.reloadIfChanged().finally(() => (this.running = null)));

  async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }
}
