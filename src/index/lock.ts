import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { asWriteError } from '../core/atomic.js';
import { UserError } from '../core/errors.js';

/**
 * One writer per index folder. The lock is a file created with O_EXCL holding the writer's pid,
 * host and start time; the holder touches it every few seconds. It is stale (and taken over) when
 * its pid is dead on this host, or when nobody touched it for longer than `staleMs` (a writer on
 * another host, or a reused pid). Readers never look at it.
 */
export const LOCK_FILE = '.write.lock';
/** Breaking a stale lock happens under this second lock, so two waiters cannot both break it. */
const BREAK_FILE = '.write.lock.break';

export interface LockOptions {
  /** How long to wait for another writer; 0 = fail at once. */
  waitMs?: number;
  /** Called once when the lock is held by someone else and we start waiting. */
  onWait?: (holder: LockHolder) => void;
  /** A lock untouched for this long is stale even if its pid seems alive (default 10 minutes). */
  staleMs?: number;
  /** How often a held lock is touched (default a quarter of `staleMs`). */
  touchMs?: number;
  /** How often a waiter looks again (default 200 ms). */
  pollMs?: number;
}

export interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO time the holder took the lock. */
  since: string;
}

export interface IndexLock {
  release(): void;
}

/** Another process is writing the index and did not finish within the wait. */
export class IndexLockedError extends UserError {
  override name = 'IndexLockedError';
  constructor(
    readonly indexDir: string,
    readonly holder: LockHolder | null,
  ) {
    super(`another process is writing the index in ${indexDir}${describeHolder(holder)}; try again when it has finished`);
  }
}

export function describeHolder(holder: LockHolder | null): string {
  return holder ? ` (pid ${holder.pid} on ${holder.hostname}, since ${holder.since})` : '';
}

/** Long: a writer stuck in a synchronous step (building a big graph) cannot touch its lock meanwhile. */
const DEFAULT_STALE_MS = 10 * 60_000;
/** How long a writer with nothing else to do (an ingest, an engine without any index yet) waits for another. */
export const WRITER_WAIT_MS = 10 * 60_000;

/** Takes the write lock of `indexDir`, waiting up to `waitMs` for another writer to finish. */
export async function lockIndex(indexDir: string, options: LockOptions = {}): Promise<IndexLock> {
  const { waitMs = 0, onWait, staleMs = DEFAULT_STALE_MS, pollMs = 200 } = options;
  const file = path.join(indexDir, LOCK_FILE);
  try {
    mkdirSync(indexDir, { recursive: true });
  } catch (error) {
    throw asWriteError(error, indexDir);
  }
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    if (tryCreate(file)) return hold(file, options.touchMs ?? staleMs / 4);
    const holder = readHolder(file);
    if (isStale(file, holder, staleMs) && breakStaleLock(indexDir, file, holder, staleMs)) continue;
    if (Date.now() >= deadline) throw new IndexLockedError(indexDir, holder);
    if (!told && holder) {
      onWait?.(holder);
      told = true;
    }
    await sleep(Math.min(pollMs, Math.max(deadline - Date.now(), 1)));
  }
}

/** The current holder, or null when the folder is not locked (or the lock file is unreadable). */
export function readHolder(file: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof holder.pid !== 'number' || typeof holder.hostname !== 'string' || typeof holder.since !== 'string') return null;
    return holder as LockHolder;
  } catch {
    return null;
  }
}

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw asWriteError(error, file);
  }
  try {
    const holder: LockHolder = { pid: process.pid, hostname: hostname(), since: new Date().toISOString() };
    writeSync(fd, JSON.stringify(holder));
  } catch (error) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw asWriteError(error, file);
  }
  closeSync(fd);
  return true;
}

function hold(file: string, touchMs: number): IndexLock {
  // Touching keeps a long ingest's lock fresh; unref so a forgotten lock never keeps the process alive.
  const touch = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(file, now, now);
    } catch {
      // Gone or unwritable: release() will find out; nothing useful to do here.
    }
  }, touchMs).unref();
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      clearInterval(touch);
      // Only remove the lock if it is still ours (a stale-lock breaker may have taken it over).
      if (readHolder(file)?.pid === process.pid && readHolder(file)?.hostname === hostname()) rmSync(file, { force: true });
    },
  };
}

/**
 * Stale when its holder's pid is dead on this host, or when it was not touched for `staleMs`.
 * A lock file without a readable holder is being written right now, unless it is old.
 */
function isStale(file: string, holder: LockHolder | null, staleMs: number): boolean {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return false; // released meanwhile: the next attempt creates it
  if (Date.now() - stat.mtimeMs > staleMs) return true;
  return holder !== null && holder.hostname === hostname() && !isAlive(holder.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a stale lock, under a short-lived second lock so that two waiters cannot both decide
 * it is stale and the second then remove the fresh lock the first has just created.
 */
function breakStaleLock(indexDir: string, file: string, seen: LockHolder | null, staleMs: number): boolean {
  const breaker = path.join(indexDir, BREAK_FILE);
  if (!tryCreate(breaker)) {
    // Someone else is breaking it; a breaker left by a crash is itself stale after a few seconds.
    const stat = statSync(breaker, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > 5_000) rmSync(breaker, { force: true });
    return false;
  }
  try {
    const current = readHolder(file);
    const unchanged = current?.pid === seen?.pid && current?.since === seen?.since;
    if (unchanged && isStale(file, current, staleMs)) rmSync(file, { force: true });
    return true;
  } finally {
    rmSync(breaker, { force: true });
  }
}
