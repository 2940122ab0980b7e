import { randomBytes } from 'node:crypto';

/**
 * A small in-memory map whose entries vanish after `ttlMs` (or when `maxEntries` is exceeded, oldest
 * first). Button sessions live here: nothing is persisted, and a restart simply expires every button.
 */
export class ExpiringStore<T> {
  readonly #entries = new Map<string, { value: T; timer: NodeJS.Timeout }>();

  constructor(private readonly options: { ttlMs: number; maxEntries: number; onExpire?: (value: T) => void }) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Stores the value and returns its key: 8 url-safe characters, short enough for a custom id. */
  add(value: T): string {
    const key = randomBytes(6).toString('base64url');
    const timer = setTimeout(() => this.#expire(key), this.options.ttlMs);
    timer.unref();
    this.#entries.set(key, { value, timer });
    if (this.#entries.size > this.options.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#expire(oldest);
    }
    return key;
  }

  get(key: string): T | undefined {
    return this.#entries.get(key)?.value;
  }

  /** Forgets everything without running `onExpire` (used when the bot stops). */
  clear(): void {
    for (const { timer } of this.#entries.values()) clearTimeout(timer);
    this.#entries.clear();
  }

  #expire(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#entries.delete(key);
    this.options.onExpire?.(entry.value);
  }
}
