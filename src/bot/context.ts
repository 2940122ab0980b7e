import type { Config } from '../config.js';
import type { QuoteEngine } from '../core/types.js';
import type { Logger } from '../logger.js';
import { AnswerService } from './answers.js';
import { Cooldown } from './cooldown.js';
import { loggableError } from './errors.js';
import { ExpiringStore } from './expiring-store.js';
import { SerialQueue } from './queue.js';
import type { CommandRegistry } from './registry.js';
import type { SearchView } from './render/search-page.js';

/** Everything a command handler may use; one per running bot. */
export interface BotContext {
  config: Config;
  logger: Logger;
  answers: AnswerService;
  commands: CommandRegistry;
  cooldown: Cooldown;
  feedback: ExpiringStore<FeedbackSession>;
  searches: ExpiringStore<SearchSession>;
}

/** What a message's buttons need while they live. */
export interface ButtonSession {
  /** Removes the buttons from the message once the session expires; set after the message is sent. */
  clearButtons?: () => Promise<unknown>;
}

/** What a feedback click logs. Kept in memory (not in the custom id) because a question does not fit in 100 characters. */
export interface FeedbackSession extends ButtonSession {
  question: string;
  resultIds: string[];
  guildId: string | null;
  channelId: string | null;
}

/** The passages of one /search, so paging needs no new engine call; only its asker may page. */
export interface SearchSession extends ButtonSession {
  ownerId: string;
  view: Omit<SearchView, 'key'>;
}

export interface ContextOptions {
  /** How long buttons work before they are removed (interaction tokens last 15 minutes). */
  buttonLifetimeMs?: number;
  /** How many questions may wait for the engine before the bot says it is busy. */
  queueCapacity?: number;
}

const TEN_MINUTES = 10 * 60 * 1000;
const DEFAULT_QUEUE_CAPACITY = 16;
const MAX_SESSIONS = 500;

export function createBotContext(
  config: Config,
  engine: QuoteEngine,
  commands: CommandRegistry,
  logger: Logger,
  options: ContextOptions = {},
): BotContext & { dispose(): void } {
  const sessions = <T extends ButtonSession>() =>
    new ExpiringStore<T>({
      ttlMs: options.buttonLifetimeMs ?? TEN_MINUTES,
      maxEntries: MAX_SESSIONS,
      onExpire: (session) => {
        session.clearButtons?.().catch((error: unknown) => logger.debug({ err: loggableError(error) }, 'could not remove expired buttons'));
      },
    });
  const feedback = sessions<FeedbackSession>();
  const searches = sessions<SearchSession>();
  return {
    config,
    logger,
    answers: new AnswerService(engine, new SerialQueue(options.queueCapacity ?? DEFAULT_QUEUE_CAPACITY), logger),
    commands,
    cooldown: new Cooldown(config.COOLDOWN_SECONDS),
    feedback,
    searches,
    dispose() {
      feedback.clear();
      searches.clear();
    },
  };
}
