import type { Answer, AskOptions, CorpusDocument, DocumentMeta, QuoteEngine } from '../../core/types.js';
import type { Logger } from '../../logger.js';
import type { QuestionOutcome } from '../../ops/metrics.js';
import { loggableError } from '../sending/errors.js';
import { type FairQueue, QueueClosedError, QueueExpiredError, QueueFullError } from './queue.js';

/** Who asks: the queue takes turns between users, and drops a question whose reply window has closed. */
export interface Asker {
  userId: string;
  /** From `replyDeadline()`: the last moment answering it is still worth it (none for a message reply). */
  deadline?: number;
}

/** Told about each question; the queue's bound and the metrics listen (src/bot/context.ts). */
export interface QuestionObserver {
  /** `seconds`: how long its turn took (the reload check and the answer), when it got one. */
  question(outcome: QuestionOutcome, seconds?: number): void;
  indexReloaded(): void;
}

/** Refreshes and other work no user asked for take their turn under this key. */
const BOT_KEY = '';

/**
 * The queue in front of the engine: the bot's only door to it. Every engine call waits its turn in
 * the one fair queue, and each first lets the engine pick up a rebuilt index, so re-indexing never
 * needs a restart.
 */
export class EngineQueue {
  constructor(
    private readonly engine: QuoteEngine,
    private readonly queue: FairQueue,
    private readonly logger: Logger,
    private readonly observer?: QuestionObserver,
  ) {}

  /**
   * Rejects with `QueueFullError` when the queue is at its bound, `QueueClosedError` once the bot is
   * stopping, `QueueExpiredError` when the question's turn came after its deadline.
   */
  async ask(question: string, options: AskOptions, asker?: Asker): Promise<Answer> {
    let startedAt: number | undefined;
    const seconds = () => (startedAt === undefined ? undefined : (performance.now() - startedAt) / 1000);
    const turn = async () => {
      startedAt = performance.now();
      await this.#refresh();
      return this.engine.ask(question, options);
    };
    try {
      const answer = await this.queue.run(asker?.userId ?? BOT_KEY, turn, asker?.deadline);
      this.observer?.question(answer.answered ? 'answered' : 'not_covered', seconds());
      return answer;
    } catch (error) {
      this.observer?.question(outcomeOf(error), seconds());
      throw error;
    }
  }

  /** Picks up a rebuilt index before listing documents. */
  refresh(): Promise<void> {
    return this.queue.run(BOT_KEY, () => this.#refresh());
  }

  /** Questions waiting or being answered. */
  get pending(): number {
    return this.queue.pending;
  }

  /** Stops taking questions: those still waiting are told the bot is restarting; the one being answered finishes. */
  close(): void {
    this.queue.close();
  }

  documents(): DocumentMeta[] {
    return this.engine.documents();
  }

  getDocument(id: string): CorpusDocument | undefined {
    return this.engine.getDocument(id);
  }

  async #refresh(): Promise<void> {
    try {
      if (await this.engine.refresh()) {
        this.logger.info({ event: 'index-reloaded' }, 'picked up a rebuilt index');
        this.observer?.indexReloaded();
      }
    } catch (error) {
      // A broken rebuild must not take answering down: keep serving the index already loaded.
      this.logger.warn({ event: 'index-reload-failed', err: loggableError(error) }, 'could not reload the index; keeping the loaded one');
    }
  }
}

function outcomeOf(error: unknown): QuestionOutcome {
  if (error instanceof QueueFullError) return 'busy';
  if (error instanceof QueueExpiredError) return 'expired';
  if (error instanceof QueueClosedError) return 'shutting_down';
  return 'failed';
}
