export class QueueFullError extends Error {
  constructor() {
    super('too many questions are waiting');
  }
}

/**
 * Runs jobs one at a time, in arrival order, with at most `capacity` jobs waiting or running
 * (QUEUE_SIZE). The engine answers in its worker thread one question at a time anyway; serialising
 * here keeps its memory and CPU use flat, and beyond capacity callers are told at once to come back
 * rather than piling up unbounded work.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  constructor(readonly capacity: number) {}

  /** Jobs waiting or running. */
  get pending(): number {
    return this.#pending;
  }

  run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#pending >= this.capacity) return Promise.reject(new QueueFullError());
    this.#pending += 1;
    const result = this.#tail.then(job).finally(() => {
      this.#pending -= 1;
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
