/**
 * What a shard process and its sharding manager say to each other over the child process's IPC
 * channel, next to discord.js's own messages (`_ready`, `_eval`…, which these never resemble).
 *
 * A shard asks; the manager answers each request once, with the same id:
 * - `identify`: "may I log in now?" The manager lets one shard IDENTIFY at a time, 5.5 s apart (Discord
 *   allows one IDENTIFY per 5 s per bucket); a shard that loaded its models early simply waits.
 * - `sync`: "bring the index up to date with the corpus": the manager is the only process that
 *   writes the index; it ingests if the corpus changed, and the shard then reloads what it published.
 * And the manager tells every shard, unasked:
 * - `index-updated`: a new index generation was published (an ingest, a watched edit).
 * A shard tells the manager, unasked:
 * - `ready`: its bot is online (sent for the client that actually logged in, which discord.js's own
 *   `_ready` misses when the bot logs in a second time without the Message Content intent).
 */
export type ShardRequest = { quotebot: 'identify' | 'sync'; id: number };
export type ManagerReply = { quotebot: 'reply'; id: number; error?: string };
export type ManagerNotice = { quotebot: 'index-updated' };
export type ShardNotice = { quotebot: 'ready'; shard: number; pid: number };

export type FromShard = ShardRequest | ShardNotice;
export type FromManager = ManagerReply | ManagerNotice;

export function isQuotebotMessage<T extends { quotebot: string }>(message: unknown): message is T {
  return typeof message === 'object' && message !== null && typeof (message as { quotebot?: unknown }).quotebot === 'string';
}

/** The shard side: requests to the manager, and its notices. */
export interface ManagerLink {
  /** Resolves when this shard may IDENTIFY. */
  identify(): Promise<void>;
  /** Resolves when the manager has brought the index up to date with the corpus; rejects if it could not. */
  sync(): Promise<void>;
  ready(shard: number): void;
  onIndexUpdated(listener: () => void): void;
}

/** Talks to the manager through `process.send`; only a process forked by the ShardingManager has it. */
export function connectToManager(channel: NodeJS.Process = process): ManagerLink {
  const send = channel.send?.bind(channel);
  if (!send) throw new Error('this shard process has no IPC channel to its sharding manager');
  const pending = new Map<number, { resolve(): void; reject(error: Error): void }>();
  const listeners: (() => void)[] = [];
  let nextId = 0;
  channel.on('message', (message: unknown) => {
    if (!isQuotebotMessage<FromManager>(message)) return;
    if (message.quotebot === 'index-updated') {
      for (const listener of listeners) listener();
      return;
    }
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.error === undefined) call?.resolve();
    else call?.reject(new Error(message.error));
  });
  // The manager is gone: nothing will ever answer.
  channel.once('disconnect', () => {
    for (const call of pending.values()) call.reject(new Error('the sharding manager is gone'));
    pending.clear();
  });
  const request = (quotebot: ShardRequest['quotebot']) =>
    new Promise<void>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      send({ quotebot, id } satisfies ShardRequest, undefined, undefined, (error: Error | null) => {
        if (!error) return;
        pending.delete(id);
        reject(error);
      });
    });
  return {
    identify: () => request('identify'),
    sync: () => request('sync'),
    ready: (shard) => void send({ quotebot: 'ready', shard, pid: channel.pid } satisfies ShardNotice),
    onIndexUpdated: (listener) => void listeners.push(listener),
  };
}
