import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What the gauges read when Prometheus scrapes; each is set once its part is running. */
export interface MetricSources {
  /** Questions waiting or being answered, and how many may. */
  queue?: () => { pending: number; capacity: number };
  /** Documents the loaded index answers from. */
  documents?: () => number;
  /** Last heartbeat round trip of the gateway (ms; negative before the first). */
  gatewayPingMs?: () => number;
}

/** What a question ended as: the `outcome` label of the question counter (the bot's engine queue reports it). */
export type QuestionOutcome = 'answered' | 'not_covered' | 'busy' | 'expired' | 'shutting_down' | 'failed';

const OUTCOMES: QuestionOutcome[] = ['answered', 'not_covered', 'busy', 'expired', 'shutting_down', 'failed'];

/**
 * One process's metrics in the Prometheus text format, through prom-client (a registry of its own,
 * so several bots in one test process never share counters). Every series carries the gateway
 * shard this process runs as its `shard` label.
 */
export class BotMetrics {
  readonly registry = new Registry();
  readonly sources: MetricSources = {};
  readonly #questions: Counter<'outcome'>;
  readonly #answerSeconds: Histogram;
  readonly #queueWaitSeconds: Histogram;
  readonly #reloads: Counter;

  constructor(shard: number | 'manager') {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ shard: String(shard) });
    collectDefaultMetrics({ register: this.registry });
    this.#questions = new Counter({ name: 'quotebot_questions_total', help: 'Questions by outcome', labelNames: ['outcome'], registers });
    for (const outcome of OUTCOMES) this.#questions.inc({ outcome }, 0); // every outcome shows, at 0, from the start
    this.#answerSeconds = new Histogram({
      name: 'quotebot_answer_seconds',
      help: 'Time a question spent with the engine (reload check and answer), waiting excluded',
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#queueWaitSeconds = new Histogram({
      name: 'quotebot_queue_wait_seconds',
      help: 'Time a question waited in the queue for its turn',
      buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
      registers,
    });
    this.#reloads = new Counter({
      name: 'quotebot_index_reloads_total',
      help: 'Index generations picked up since start (a rebuilt index, a publish)',
      registers,
    });
    this.#gauge('quotebot_queue_depth', 'Questions waiting or being answered', () => this.sources.queue?.().pending);
    this.#gauge(
      'quotebot_queue_capacity',
      'Questions that may wait or run before the bot says it is busy (follows the measured answer time)',
      () => this.sources.queue?.().capacity,
    );
    this.#gauge('quotebot_index_documents', 'Documents in the loaded index', () => this.sources.documents?.());
    this.#gauge('quotebot_gateway_latency_seconds', 'Last gateway heartbeat round trip', () => {
      const ms = this.sources.gatewayPingMs?.();
      return ms === undefined || ms < 0 ? undefined : ms / 1000;
    });
  }

  question(outcome: QuestionOutcome, seconds?: number): void {
    this.#questions.inc({ outcome });
    if (seconds !== undefined) this.#answerSeconds.observe(seconds);
  }

  queueWaited(ms: number): void {
    this.#queueWaitSeconds.observe(ms / 1000);
  }

  indexReloaded(): void {
    this.#reloads.inc();
  }

  /** A gauge read at scrape time; absent from the output until its source gives a number. */
  #gauge(name: string, help: string, read: () => number | undefined): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        const value = read();
        if (value === undefined) this.reset();
        else this.set(value);
      },
    });
  }
}
