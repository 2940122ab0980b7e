import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { shardCount } from '../../src/bot/sharding/shard-count.js';
import { managedEngine } from '../../src/bot/sharding/shard-engine.js';
import { connectToManager, type ManagerLink } from '../../src/bot/sharding/shard-ipc.js';
import { identifyGate } from '../../src/bot/sharding/shard-manager.js';
import { UserError } from '../../src/core/errors.js';
import type { WorkerEngine } from '../../src/engine/worker-engine.js';
import { capturingLogger } from '../support/capturing-logger.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { stubEngine } from '../support/stub-engine.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('identifyGate', () => {
  it('lets one caller through at a time, each at least the spacing after the previous one', async () => {
    vi.useFakeTimers();
    const gate = identifyGate(5_500);
    const passed: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 3; i++) void gate().then(() => passed.push(Date.now() - start));
    await vi.advanceTimersByTimeAsync(0);
    expect(passed).toEqual([0]);
    await vi.advanceTimersByTimeAsync(5_499);
    expect(passed).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(passed).toEqual([0, 5_500]);
    await vi.advanceTimersByTimeAsync(5_500);
    expect(passed).toEqual([0, 5_500, 11_000]);
    // Long after the last turn, the next caller goes at once.
    await vi.advanceTimersByTimeAsync(60_000);
    void gate().then(() => passed.push(Date.now() - start));
    await vi.advanceTimersByTimeAsync(0);
    expect(passed).toEqual([0, 5_500, 11_000, 71_000]);
  });
});

/** A stand-in for `process` in a forked child: `send` goes to the manager, `emit('message')` comes from it. */
function fakeChannel() {
  const channel = new EventEmitter() as EventEmitter & {
    pid: number;
    sent: unknown[];
    send: (message: unknown, ...rest: unknown[]) => boolean;
  };
  channel.pid = 4242;
  channel.sent = [];
  channel.send = (message, ...rest) => {
    channel.sent.push(message);
    const callback = rest.find((value) => typeof value === 'function') as ((error: Error | null) => void) | undefined;
    callback?.(null);
    return true;
  };
  return channel;
}

describe('connectToManager', () => {
  it('matches replies to requests by id, turns an error reply into a rejection, and fails what is pending when the manager goes', async () => {
    const channel = fakeChannel();
    const link = connectToManager(channel as unknown as NodeJS.Process);
    const identify = link.identify();
    const sync = link.sync();
    expect(channel.sent).toEqual([
      { quotebot: 'identify', id: 0 },
      { quotebot: 'sync', id: 1 },
    ]);
    // discord.js's own messages and other ids are ignored.
    channel.emit('message', { _eval: 'this.guilds.cache.size' });
    channel.emit('message', { quotebot: 'reply', id: 7 });
    channel.emit('message', { quotebot: 'reply', id: 1, error: 'disk full' });
    channel.emit('message', { quotebot: 'reply', id: 0 });
    await expect(identify).resolves.toBeUndefined();
    await expect(sync).rejects.toThrow('disk full');

    const updates: number[] = [];
    link.onIndexUpdated(() => updates.push(1));
    channel.emit('message', { quotebot: 'index-updated' });
    expect(updates).toEqual([1]);

    link.ready(3);
    expect(channel.sent.at(-1)).toEqual({ quotebot: 'ready', shard: 3, pid: 4242 });

    const orphan = link.sync();
    channel.emit('disconnect');
    await expect(orphan).rejects.toThrow('the sharding manager is gone');
  });

  it('refuses to run without an IPC channel (a shard started by hand)', () => {
    const channel = fakeChannel() as unknown as { send?: unknown };
    delete channel.send;
    expect(() => connectToManager(channel as NodeJS.Process)).toThrow(/no IPC channel/);
  });
});

describe('managedEngine', () => {
  function linkStub(sync: () => Promise<void>) {
    const listeners: (() => void)[] = [];
    const link: ManagerLink & { syncs: number; update(): void } = {
      syncs: 0,
      identify: async () => undefined,
      sync: () => {
        link.syncs += 1;
        return sync();
      },
      ready: () => undefined,
      onIndexUpdated: (listener) => void listeners.push(listener),
      update: () => listeners.forEach((listener) => listener()),
    };
    return link;
  }

  const workerEngine = (refresh: () => Promise<boolean>) => {
    const engine = stubEngine({ refresh });
    return Object.assign(engine, { close: async () => undefined }) as typeof engine & WorkerEngine;
  };

  it('asks the manager to update the index before every reload, and reloads even when it could not', async () => {
    const order: string[] = [];
    const inner = workerEngine(async () => {
      order.push('reload');
      return true;
    });
    let failing = false;
    const link = linkStub(async () => {
      order.push('sync');
      if (failing) throw new Error('another process is writing the index');
    });
    const { logger, lines } = capturingLogger();
    const engine = managedEngine(inner, link, logger);

    expect(await engine.refresh()).toBe(true);
    expect(order).toEqual(['sync', 'reload']);
    failing = true;
    expect(await engine.refresh()).toBe(true);
    expect(order).toEqual(['sync', 'reload', 'sync', 'reload']);
    expect(lines).toContainEqual(expect.objectContaining({ event: 'index-sync-failed', level: 40 }));
    // Answers go straight to the shard's own engine.
    await engine.ask('why?', { k: 3 });
    expect(inner.asked).toEqual([{ question: 'why?', options: { k: 3 } }]);
    expect(link.syncs).toBe(2);
  });

  it('reloads when the manager announces a new index, without asking it for another sync', async () => {
    const inner = workerEngine(async () => true);
    const link = linkStub(async () => undefined);
    managedEngine(inner, link, capturingLogger().logger);
    link.update();
    await Promise.resolve();
    expect(inner.refreshes).toBe(1);
    expect(link.syncs).toBe(0);
  });
});

describe('shardCount', () => {
  it('takes a number as it is, and asks DISCORD_API_URL (GET /gateway/bot) for auto', async () => {
    expect(await shardCount({ SHARDS: 3, DISCORD_TOKEN: undefined, DISCORD_API_URL: 'http://127.0.0.1:9/api' })).toBe(3);
    const fake = await FakeDiscord.start({ shards: 5 });
    try {
      expect(await shardCount({ SHARDS: 'auto', DISCORD_TOKEN: 'any-token', DISCORD_API_URL: fake.apiUrl })).toBe(5);
      expect(fake.calls.filter((call) => call.path === '/gateway/bot')).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });

  it('is a one-line user error without a token or when Discord cannot be asked', async () => {
    await expect(shardCount({ SHARDS: 'auto', DISCORD_TOKEN: undefined, DISCORD_API_URL: 'http://127.0.0.1:9/api' })).rejects.toThrow(
      UserError,
    );
    const fake = await FakeDiscord.start();
    const url = fake.apiUrl;
    await fake.close();
    const error = await shardCount({ SHARDS: 'auto', DISCORD_TOKEN: 'secret-token', DISCORD_API_URL: url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /^could not ask Discord for the recommended shard count \(GET \/gateway\/bot\): .*; set SHARDS to a number instead$/,
    );
    expect((error as Error).message).not.toContain('secret-token');
  });
});
