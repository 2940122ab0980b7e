import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../support/cli-process.js';
import { copyOfSeeds } from '../support/helpers.js';
import { mountSmallDisk, type SmallDisk } from '../support/tmpfs.js';

/**
 * A full and a read-only disk, for real, on a 1 MB tmpfs: `ingest` exits 2 with one line naming the
 * path, and `ask` with a stale index still answers from the index it has. Skipped (saying why)
 * where mounting is not permitted, except on CI, where the suite must run it.
 */
const WHEAT = 'How much wheat did Russia donate to Cuba?';
const CHANGED = '000_f262ba03583b067a';
const disks: SmallDisk[] = [];
afterAll(() => disks.forEach((disk) => disk.unmount()));

const probe = mountSmallDisk();
const skipReason = 'reason' in probe && process.env.CI !== 'true' ? probe.reason : null;
if (!('reason' in probe)) probe.unmount();

function smallDisk(): SmallDisk {
  const disk = mountSmallDisk();
  if ('reason' in disk) throw new Error(disk.reason);
  disks.push(disk);
  return disk;
}

/** An index on the small disk, then a corpus that moved on: one article changed, one added. */
function staleIndexOn(disk: SmallDisk): { corpus: string; index: string } {
  const corpus = copyOfSeeds();
  const index = path.join(disk.dir, 'index');
  const built = runScript('src/cli/ingest.ts', ['--corpus', corpus, '--index', index]);
  expect(built.status, built.stderr).toBe(0);
  writeFileSync(
    path.join(corpus, `${CHANGED}.txt`),
    'Grain news\n\nA Russian ship delivered 40,000 tonnes of wheat to Havana in March, port officials said.',
  );
  cpSync(path.join(corpus, '002_fd5b7e87bdf5c1a2.txt'), path.join(corpus, 'copy.txt'));
  return { corpus, index };
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('error:'));
}

describe.skipIf(skipReason !== null)(`a full or read-only disk${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  // Full: even the lock file cannot be written. Nearly full: the lock and the first tables fit, the vectors do not.
  it.each([
    ['full', 0, /\.write\.lock/],
    ['nearly full', 100 * 1024, /\.f32/],
  ])('ingest on a %s disk exits 2 with one line naming the path, and leaves no debris', (_, leaveBytes, file) => {
    const disk = smallDisk();
    disk.fill(leaveBytes);
    const index = path.join(disk.dir, 'index');
    const { status, stderr } = runScript('src/cli/ingest.ts', ['--corpus', copyOfSeeds(), '--index', index]);
    expect(status, stderr).toBe(2);
    expect(errorLines(stderr)).toHaveLength(1);
    expect(errorLines(stderr)[0]).toMatch(new RegExp(`^error: cannot write ${index}/\\S+: the disk is full \\(ENOSPC\\)$`));
    expect(errorLines(stderr)[0]).toMatch(file);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    // Nothing half-written; what was embedded before the disk filled up is kept for the next run to resume from.
    expect(readdirSync(index).filter((entry) => !entry.startsWith('checkpoint-'))).toEqual([]);
  });

  it('ask with a stale index on a full disk answers from the index it has, without the changed article', () => {
    const disk = smallDisk();
    const { corpus, index } = staleIndexOn(disk);
    disk.fill();
    const { status, stdout, stderr } = runScript('src/cli/ask.ts', ['--json', '--corpus', corpus, '--index', index, WHEAT]);
    expect(status, stderr).toBe(0);
    expect(stderr).toMatch(
      new RegExp(
        `warning: cannot write ${index}/\\S+: the disk is full \\(ENOSPC\\); answering from the existing index, without the 1 document\\(s\\) changed or removed since`,
      ),
    );
    const answer = JSON.parse(stdout);
    expect(answer.answered).toBe(true);
    expect(answer.results[0].quote).toContain('25,000 tonnes of wheat');
    expect(answer.results.map((r: { docId: string }) => r.docId)).not.toContain(CHANGED);
  });

  it('on a read-only disk, ingest exits 2 naming the path and ask still answers', () => {
    const disk = smallDisk();
    const { corpus, index } = staleIndexOn(disk);
    disk.remountReadOnly();
    const ingest = runScript('src/cli/ingest.ts', ['--corpus', corpus, '--index', index]);
    expect(ingest.status, ingest.stderr).toBe(2);
    expect(errorLines(ingest.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^error: cannot write ${index}/\\S+: the file system is read-only \\(EROFS\\)$`)),
    ]);
    const ask = runScript('src/cli/ask.ts', ['--json', '--corpus', corpus, '--index', index, WHEAT]);
    expect(ask.status, ask.stderr).toBe(0);
    expect(JSON.parse(ask.stdout).results[0].quote).toContain('25,000 tonnes of wheat');
  });
});

// Shown in the run's output, so a skip is never silent.
if (skipReason !== null) it.skip(`full-disk tests skipped: ${skipReason}`, () => undefined);
