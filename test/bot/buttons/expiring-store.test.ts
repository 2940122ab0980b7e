import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExpiringStore } from '../../../src/bot/buttons/expiring-store.js';

describe('ExpiringStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('forgets entries after the TTL and reports each expiry once', () => {
    const expired: string[] = [];
    const store = new ExpiringStore<string>({ ttlMs: 1_000, maxEntries: 10, onExpire: (value) => expired.push(value) });
    const key = store.add('session');
    expect(key).toMatch(/^[\w-]{8}$/);
    vi.advanceTimersByTime(999);
    expect(store.get(key)).toBe('session');
    vi.advanceTimersByTime(1);
    expect(store.get(key)).toBeUndefined();
    expect(expired).toEqual(['session']);
  });

  it('evicts the oldest entry beyond maxEntries', () => {
    const expired: number[] = [];
    const store = new ExpiringStore<number>({ ttlMs: 60_000, maxEntries: 2, onExpire: (value) => expired.push(value) });
    const first = store.add(1);
    store.add(2);
    store.add(3);
    expect(store.get(first)).toBeUndefined();
    expect(store.size).toBe(2);
    expect(expired).toEqual([1]);
  });

  it('clear() drops everything without expiry callbacks', () => {
    const onExpire = vi.fn();
    const store = new ExpiringStore<number>({ ttlMs: 1_000, maxEntries: 5, onExpire });
    store.add(1);
    store.clear();
    vi.advanceTimersByTime(5_000);
    expect(store.size).toBe(0);
    expect(onExpire).not.toHaveBeenCalled();
  });
});
