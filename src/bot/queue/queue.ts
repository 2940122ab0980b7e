export class QueueFullError extends Error {
  constructor() {
    super('too many questions are waiting');
  }
}

/** The bot is stopping: a question that had not started yet will not be answered by this process. */
export class QueueClosedError extends Error {
  constructor() {
    super('the bot is restarting');
  }
}

/** A question that waited past its reply window: answering it could no longer reach the user. */
export class QueueExpiredError extends Error {
  constructor() {
    super('the question waited past its reply window');
  }
}

export interface QueueOptions {
  /** How many jobs may wait or run right now; asked on every arrival, as the bound follows measured answer times. */
  capacity: () => number;
  /** Told how long each job waited for its turn (ms), for the metrics. */
  onStart?: (waitedMs: number) => void;
  now?: () => number;
}

interface Job {
  run: () => Promise<void>;
  fail: (error: Error) => void;
  queuedAt: number;
  /** When its answer would no longer reach the user (Discord's 15-minute interaction window). */
  deadline: number;
}

/**
 * Runs jobs one at a time (the engine answers one question at a time in its worker thread anyway),
 * taking turns between keys, round-robin: each user with questions waiting gets one answered in
 * turn, so one user's many questions never hold up another's first. At most `capacity()` jobs wait
 * or run; beyond that a caller is told at once to come back rather than piling up unbounded work.
 */
export class FairQueue {
  /** Waiting jobs per key; the Map's order is the rotation (a key goes to the back after its turn). */
  readonly #waiting = new Map<string, Job[]>();
  #size = 0;
  #running = false;
  #closed = false;
  readonly #now: () => number;

  constructor(private readonly options: QueueOptions) {
    this.#now = options.now ?? Date.now;
  }

  /** Jobs waiting or running. */
  get pending(): number {
    return this.#size + (this.#running ? 1 : 0);
  }

  /** Jobs waiting (not running). */
  get waiting(): number {
    return this.#size;
  }

  /** Rejects with `QueueFullError` beyond capacity, `QueueClosedError` after `close()`, `QueueExpiredError` past `deadline`. */
  run<T>(key: string, job: () => Promise<T>, deadline = Infinity): Promise<T> {
    if (this.#closed) return Promise.reject(new QueueClosedError());
    if (this.pending >= this.options.capacity()) return Promise.reject(new QueueFullError());
    return new Promise<T>((resolve, reject) => {
      const queued: Job = { run: () => Promise.resolve().then(job).then(resolve, reject), fail: reject, queuedAt: this.#now(), deadline };
      const jobs = this.#waiting.get(key);
      if (jobs) jobs.push(queued);
      else this.#waiting.set(key, [queued]);
      this.#size += 1;
      void this.#drain();
    });
  }

  /** Refuses new jobs and fails every waiting one with `QueueClosedError`; the running job finishes. */
  close(): void {
    this.#closed = true;
    for (const jobs of this.#waiting.values()) for (const job of jobs) job.fail(new QueueClosedError());
    this.#waiting.clear();
    this.#size = 0;
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (let job = this.#next(); job; job = this.#next()) {
        const startedAt = this.#now();
        if (startedAt > job.deadline) {
          job.fail(new QueueExpiredError());
          continue;
        }
        this.options.onStart?.(startedAt - job.queuedAt);
        await job.run();
      }
    } finally {
      this.#running = false;
    }
  }

  /** The next key's first job; the key moves to the back of the rotation if it has more. */
  #next(): Job | undefined {
    const first = this.#waiting.entries().next();
    if (first.done) return undefined;
    const [key, jobs] = first.value;
    const job = jobs.shift()!;
    this.#waiting.delete(key);
    if (jobs.length > 0) this.#waiting.set(key, jobs);
    this.#size -= 1;
    return job;
  }
}
