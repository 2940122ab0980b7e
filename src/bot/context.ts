import type { CommunityStore } from '../community/store.js';
import type { Config } from '../config.js';
import type { Answer, QuoteEngine } from '../core/types.js';
import type { Logger } from '../logger.js';
import type { BotMetrics } from '../ops/metrics.js';
import { ButtonSessions } from './buttons/button-sessions.js';
import { Cooldown } from './cooldown.js';
import { EngineQueue, type QuestionObserver } from './queue/engine-queue.js';
import { FairQueue } from './queue/queue.js';
import { MAX_QUEUE, QueueBound } from './queue/queue-bound.js';
import type { HandlerRegistry } from './registry.js';
import type { AnswerView } from './render/answer.js';
import type { SearchView } from './render/search-page.js';

/** Everything a command handler may use; one per running bot. */
export interface BotContext {
  config: Config;
  logger: Logger;
  /** The queue in front of the engine: every question, document list and reload goes through it. */
  engineQueue: EngineQueue;
  /** Commands by name and button handlers by namespace. */
  registry: HandlerRegistry;
  cooldown: Cooldown;
  /** Settings per server and channel, stored questions, feedback and hidden articles. */
  community: CommunityStore;
  feedback: ButtonSessions<FeedbackSession>;
  searches: ButtonSessions<SearchSession>;
}

/**
 * What the buttons under an answer need (per-quote feedback, Share to channel). Kept in memory (not in
 * the custom id) because a question does not fit in 100 characters.
 */
export interface FeedbackSession {
  question: string;
  resultIds: string[];
  guildId: string | null;
  channelId: string | null;
  /** The stored question feedback is recorded with (null outside a server, or when storing failed). */
  questionId: string | null;
  /** The answer and how it was shown, so Share to channel posts the same quotes. */
  answer: Answer;
  view: AnswerView;
  /** `user:quote:verdict` already counted, so a second click does not count twice. */
  votes: Set<string>;
}

/** The passages of one /search, so paging needs no new engine call; only its asker may page. */
export interface SearchSession {
  ownerId: string;
  view: Omit<SearchView, 'key'>;
}

export interface ContextOptions {
  /** How long buttons work before they are removed (interaction tokens last 15 minutes). */
  buttonLifetimeMs?: number;
  /** A fixed number of questions that may wait for the engine (default: the bound from the measured answer time and QUEUE_SIZE). */
  queueCapacity?: number;
  /** Where questions, queue waits and reloads are counted (with METRICS_PORT). */
  metrics?: BotMetrics;
}

const TEN_MINUTES = 10 * 60 * 1000;
const MAX_SESSIONS = 500;

export function createBotContext(
  config: Config,
  engine: QuoteEngine,
  registry: HandlerRegistry,
  logger: Logger,
  community: CommunityStore,
  options: ContextOptions = {},
): BotContext & { dispose(): void } {
  const sessions = { ttlMs: options.buttonLifetimeMs ?? TEN_MINUTES, maxEntries: MAX_SESSIONS, logger };
  const feedback = new ButtonSessions<FeedbackSession>(sessions);
  const searches = new ButtonSessions<SearchSession>(sessions);
  return {
    config,
    logger,
    engineQueue: createEngineQueue(config, engine, logger, options),
    registry,
    cooldown: new Cooldown(config.COOLDOWN_SECONDS),
    community,
    feedback,
    searches,
    dispose() {
      feedback.clear();
      searches.clear();
    },
  };
}

/** The fair queue in front of the engine, bounded by the answer times it measures, counted in the metrics. */
function createEngineQueue(config: Config, engine: QuoteEngine, logger: Logger, options: ContextOptions): EngineQueue {
  const { metrics, queueCapacity } = options;
  const bound = new QueueBound(config.QUEUE_SIZE === 'auto' ? MAX_QUEUE : config.QUEUE_SIZE);
  const capacity = queueCapacity === undefined ? () => bound.capacity() : () => queueCapacity;
  const queue = new FairQueue({ capacity, onStart: (waitedMs) => metrics?.queueWaited(waitedMs) });
  const observer: QuestionObserver = {
    question(outcome, seconds) {
      if (seconds !== undefined) bound.record(seconds * 1000);
      metrics?.question(outcome, seconds);
    },
    indexReloaded: () => metrics?.indexReloaded(),
  };
  if (metrics) {
    metrics.sources.queue = () => ({ pending: queue.pending, capacity: capacity() });
    metrics.sources.documents = () => engine.documents().length;
  }
  return new EngineQueue(engine, queue, logger, observer);
}
