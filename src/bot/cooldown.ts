/** A per-user cooldown between questions. Entries are dropped once expired, so memory stays bounded. */
export class Cooldown {
  readonly #untilByUser = new Map<string, number>();
  readonly #durationMs: number;
  readonly #now: () => number;

  constructor(seconds: number, now: () => number = Date.now) {
    this.#durationMs = seconds * 1000;
    this.#now = now;
  }

  /** Starts the user's cooldown and returns 0, or returns the whole seconds left if it is still running. */
  take(userId: string): number {
    const now = this.#now();
    const until = this.#untilByUser.get(userId);
    if (until !== undefined && until > now) return Math.ceil((until - now) / 1000);
    this.#forgetExpired(now);
    if (this.#durationMs > 0) this.#untilByUser.set(userId, now + this.#durationMs);
    return 0;
  }

  #forgetExpired(now: number): void {
    for (const [userId, until] of this.#untilByUser) if (until <= now) this.#untilByUser.delete(userId);
  }
}
