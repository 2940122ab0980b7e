import type { Answer, AskOptions, CorpusDocument, DocumentMeta, QuoteEngine } from '../core/types.js';
import type { Logger } from '../logger.js';
import { loggableError } from './errors.js';
import type { SerialQueue } from './queue.js';

/**
 * The queue in front of the engine: the bot's only door to it. Every engine call waits its turn in
 * the one queue, and each first lets the engine pick up a rebuilt index, so re-indexing never needs
 * a restart.
 */
export class EngineQueue {
  constructor(
    private readonly engine: QuoteEngine,
    private readonly queue: SerialQueue,
    private readonly logger: Logger,
  ) {}

  /** Rejects with `QueueFullError` when too many questions are already waiting. */
  ask(question: string, options: AskOptions): Promise<Answer> {
    return this.queue.run(async () => {
      await this.#refresh();
      return this.engine.ask(question, options);
    });
  }

  /** Picks up a rebuilt index before listing documents. */
  refresh(): Promise<void> {
    return this.queue.run(() => this.#refresh());
  }

  documents(): DocumentMeta[] {
    return this.engine.documents();
  }

  getDocument(id: string): CorpusDocument | undefined {
    return this.engine.getDocument(id);
  }

  async #refresh(): Promise<void> {
    try {
      if (await this.engine.refresh()) this.logger.info({ event: 'index-reloaded' }, 'picked up a rebuilt index');
    } catch (error) {
      // A broken rebuild must not take answering down: keep serving the index already loaded.
      this.logger.warn({ event: 'index-reload-failed', err: loggableError(error) }, 'could not reload the index; keeping the loaded one');
    }
  }
}
