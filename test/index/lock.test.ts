import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { IndexLockedError, LOCK_FILE, lockIndex, readHolder } from '../../src/index/lock.js';
import { tempDir } from '../support/helpers.js';

/** A pid that surely belongs to no process any more: a child that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

function writeLock(dir: string, holder: { pid: number; hostname: string; since: string }, ageMs = 0): void {
  const file = path.join(dir, LOCK_FILE);
  writeFileSync(file, JSON.stringify(holder));
  const at = new Date(Date.now() - ageMs);
  utimesSync(file, at, at);
}

describe('lockIndex: one writer per index folder', () => {
  it('records pid, host and time; a second writer is refused with a line naming the holder, then gets it after release', async () => {
    const dir = tempDir('lock-');
    const lock = await lockIndex(dir);
    const holder = readHolder(path.join(dir, LOCK_FILE))!;
    expect(holder).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(Date.now() - Date.parse(holder.since)).toBeLessThan(5_000);

    const refused = await lockIndex(dir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IndexLockedError);
    expect((refused as Error).message).toBe(
      `another process is writing the index in ${dir} (pid ${process.pid} on ${hostname()}, since ${holder.since}); try again when it has finished`,
    );
    lock.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    (await lockIndex(dir)).release();
  });

  it('a waiting writer says once that it waits, and takes the lock as soon as it is released', async () => {
    const dir = tempDir('lock-');
    const first = await lockIndex(dir);
    const waits: number[] = [];
    const second = lockIndex(dir, { waitMs: 10_000, pollMs: 20, onWait: (holder) => waits.push(holder.pid) });
    await sleep(200);
    first.release();
    (await second).release();
    expect(waits).toEqual([process.pid]);
  });

  it('takes over a lock whose pid is dead on this host at once', async () => {
    const dir = tempDir('lock-');
    writeLock(dir, { pid: deadPid(), hostname: hostname(), since: new Date().toISOString() });
    const lock = await lockIndex(dir);
    expect(readHolder(path.join(dir, LOCK_FILE))?.pid).toBe(process.pid);
    lock.release();
  });

  it('respects a fresh lock of another host, and takes it over once nobody touched it for staleMs', async () => {
    const dir = tempDir('lock-');
    const other = { pid: 1, hostname: 'another-host', since: new Date().toISOString() };
    writeLock(dir, other);
    await expect(lockIndex(dir, { staleMs: 60_000 })).rejects.toBeInstanceOf(IndexLockedError);
    writeLock(dir, other, 120_000);
    const lock = await lockIndex(dir, { staleMs: 60_000 });
    expect(readHolder(path.join(dir, LOCK_FILE))?.hostname).toBe(hostname());
    lock.release();
  });

  it('a live holder touches its lock, so a long write never looks stale', async () => {
    const dir = tempDir('lock-');
    const lock = await lockIndex(dir, { staleMs: 300, touchMs: 50 });
    const file = path.join(dir, LOCK_FILE);
    const before = statSync(file).mtimeMs;
    await sleep(500);
    expect(statSync(file).mtimeMs).toBeGreaterThan(before);
    await expect(lockIndex(dir, { staleMs: 300 })).rejects.toBeInstanceOf(IndexLockedError);
    lock.release();
  });

  it('release() leaves alone a lock that is no longer its own', async () => {
    const dir = tempDir('lock-');
    const lock = await lockIndex(dir);
    const other = { pid: 1, hostname: 'another-host', since: new Date().toISOString() };
    writeLock(dir, other);
    lock.release();
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8'))).toEqual(other);
  });
});
