import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { type Shard, ShardingManager } from 'discord.js';
import type { Logger } from '../../logger.js';
import { loggableError } from '../sending/errors.js';
import { type FromShard, isQuotebotMessage, type ManagerNotice, type ManagerReply } from './shard-ipc.js';

/**
 * `npm start` with SHARDS > 1 (or `auto`): discord.js's ShardingManager forks one process per gateway
 * shard, each running the bot (src/cli/shard.ts) with its own engine and models, and respawns a
 * process that dies. This process is the index's one writer: it ingests (through `writer`) before the
 * shards start, whenever a shard finds the corpus changed, and on watched edits; the shards only read
 * the generations it publishes. It also lets the shards IDENTIFY one at a time.
 */
export interface ShardManagerOptions {
  /** The shard entry point (src/cli/shard.ts). */
  file: string;
  totalShards: number;
  token: string;
  /** Brings the index up to date with the corpus; true when it published a new generation. */
  writer: { refresh(): Promise<boolean> };
  logger: Logger;
  /** Node flags for the shard processes (the tsx loader when running from source). */
  execArgv?: string[];
  /** Time between two shards' IDENTIFY: Discord allows one per 5 s (max_concurrency 1). */
  identifySpacingMs?: number;
}

export interface RunningShards {
  manager: ShardingManager;
  /** Stops respawning, lets every shard shut down (SIGTERM: in-flight replies finish), then returns. */
  stop(): Promise<void>;
  /** Resolves if a shard exits with status 2 (a mistake to fix, e.g. a reset token): respawning it would only loop. */
  fatal: Promise<Error>;
  /** Tell every shard a new index generation is published. */
  indexUpdated(): void;
  /** Each shard, and whether its bot is online (it said `ready` and has not died since): for /healthz. */
  shardStates(): Array<{ id: number; ready: boolean }>;
}

/** A shard that exits with this status stopped for a reason a restart does not fix (runCli's "user mistake"). */
const FATAL_EXIT = 2;
/** How long stop() waits for a shard to finish its replies (its own grace is 10 s) before killing it. */
const STOP_GRACE_MS = 15_000;

export function startShardManager(options: ShardManagerOptions): RunningShards {
  const { logger, writer } = options;
  const manager = new ShardingManager(options.file, {
    totalShards: options.totalShards,
    token: options.token,
    mode: 'process',
    respawn: true,
    execArgv: options.execArgv ?? [],
  });
  const gate = identifyGate(options.identifySpacingMs ?? 5_500);
  const online = new Set<number>();
  let stopping = false;
  let reportFatal: (error: Error) => void = () => undefined;
  const fatal = new Promise<Error>((resolve) => (reportFatal = resolve));

  // One ingest at a time; shards asking meanwhile share it.
  let syncing: Promise<void> | null = null;
  const sync = () =>
    (syncing ??= writer
      .refresh()
      .then(() => undefined)
      .finally(() => (syncing = null)));

  // Every shard starts at once and loads its models meanwhile; the gate spaces out their logins.
  // (`spawn(-1)`: do not wait for READY here; a respawn uses the same setting.)
  for (let id = 0; id < options.totalShards; id++) {
    const shard = manager.createShard(id);
    watchShard(shard, {
      logger,
      stopping: () => stopping,
      reportFatal,
      online,
      handle: (request) => (request === 'identify' ? gate() : sync()),
    });
    shard
      .spawn(-1)
      .catch((error: unknown) =>
        logger.error({ event: 'shard-error', shard: id, err: loggableError(error) }, `shard ${id} could not start`),
      );
  }

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      await stopShards(manager);
    })());

  const indexUpdated = () => {
    for (const shard of manager.shards.values()) {
      if (shard.process?.connected) shard.send({ quotebot: 'index-updated' } satisfies ManagerNotice).catch(() => undefined);
    }
  };

  const shardStates = () => Array.from({ length: options.totalShards }, (_, id) => ({ id, ready: online.has(id) }));
  return { manager, stop, fatal, indexUpdated, shardStates };
}

interface ShardWatch {
  logger: Logger;
  /** True once the manager is stopping: exits and disconnects are expected then. */
  stopping: () => boolean;
  reportFatal: (error: Error) => void;
  /** The shards whose bot is ready (for /healthz under the manager). */
  online: Set<number>;
  /** The work a shard's request stands for: its turn to IDENTIFY, or an ingest. */
  handle: (request: 'identify' | 'sync') => Promise<void>;
}

/** Log a shard's life, answer its requests, and report an exit a restart does not fix. */
function watchShard(shard: Shard, { logger, stopping, reportFatal, online, handle }: ShardWatch): void {
  // mode 'process': the shard's child is always a ChildProcess.
  shard.on('spawn', (child) =>
    logger.info({ event: 'shard-spawned', shard: shard.id, pid: (child as ChildProcess).pid }, `shard ${shard.id} started`),
  );
  shard.on('message', (message: unknown) => {
    if (!isQuotebotMessage<FromShard>(message)) return;
    if (message.quotebot === 'ready') {
      online.add(shard.id);
      logger.info({ event: 'shard-ready', shard: shard.id, pid: message.pid }, `shard ${shard.id} is online`);
    } else replyWhenDone(shard, message.id, handle(message.quotebot === 'identify' ? 'identify' : 'sync'));
  });
  shard.on('death', (process) => {
    const child = process as ChildProcess;
    const { exitCode: code, signalCode: signal } = child;
    online.delete(shard.id);
    if (stopping()) return;
    if (code === FATAL_EXIT) {
      logger.error(
        { event: 'shard-fatal', shard: shard.id, pid: child.pid, code },
        `shard ${shard.id} stopped for a reason a restart does not fix; stopping all shards`,
      );
      reportFatal(new Error(`shard ${shard.id} exited with status ${FATAL_EXIT} (see its error above)`));
      return;
    }
    logger.warn(
      { event: 'shard-died', shard: shard.id, pid: child.pid, code, signal },
      `shard ${shard.id} exited; the manager respawns it`,
    );
  });
  shard.on(
    'disconnect',
    () => stopping() || logger.info({ event: 'shard-disconnected', shard: shard.id }, `shard ${shard.id} lost its gateway connection`),
  );
  shard.on(
    'reconnecting',
    () => stopping() || logger.info({ event: 'shard-reconnecting', shard: shard.id }, `shard ${shard.id} is reconnecting`),
  );
  // Without a listener an 'error' event would crash the manager.
  shard.on('error', (error: Error) =>
    logger.warn({ event: 'shard-error', shard: shard.id, err: loggableError(error) }, `shard ${shard.id}: ${error.message}`),
  );
}

/** Reply to a shard's request once its work settles (with the error's message if it failed). */
function replyWhenDone(shard: Shard, id: number, work: Promise<void>): void {
  work
    .then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    )
    .then((error) => {
      if (!shard.process) return; // it died meanwhile; its successor asks again
      shard.send({ quotebot: 'reply', id, ...(error !== undefined && { error }) } satisfies ManagerReply).catch(() => undefined);
    });
}

/** Stop respawning, let every shard shut down (SIGTERM), and kill one that outlives the grace. */
async function stopShards(manager: ShardingManager): Promise<void> {
  manager.respawn = false;
  await Promise.all(
    [...manager.shards.values()].map(async (shard) => {
      const child = shard.process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** Each call resolves in turn, at least `spacingMs` after the previous one resolved. */
export function identifyGate(spacingMs: number, now: () => number = Date.now): () => Promise<void> {
  let tail: Promise<void> = Promise.resolve();
  let last = -Infinity;
  return () => {
    const turn = tail.then(async () => {
      const wait = last + spacingMs - now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      last = now();
    });
    tail = turn;
    return turn;
  };
}
