import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockIndex } from '../../src/index/lock.js';
import { loadIndex } from '../../src/index/store.js';
import { startScript } from '../support/cli-process.js';
import { copyOfSeeds, tempDir } from '../support/helpers.js';

/** Two writers on one index folder: the second waits its turn, and neither trips over the other's files. */
describe('npm run ingest with another writer', () => {
  it('waits while another process holds the index, saying who, and writes nothing until it is released', async () => {
    const index = tempDir('lock-index-');
    const held = await lockIndex(index);
    const ingest = startScript('src/cli/ingest.ts', ['--corpus', copyOfSeeds(), '--index', index]);
    await ingest.waitFor(new RegExp(`warning: waiting for another process writing ${index} \\(pid ${process.pid} on `));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(readdirSync(index)).toEqual([LOCK_FILE]);
    held.release();
    const { status, stderr } = await ingest.finished;
    expect(status, stderr).toBe(0);
    expect(stderr).toMatch(/indexed 5 documents/);
    expect(loadIndex(index)?.documents.size).toBe(5);
  });

  it('two ingests started together both succeed and leave one complete index, no debris and no lock', async () => {
    const index = tempDir('lock-index-');
    const corpus = copyOfSeeds();
    const runs = [
      startScript('src/cli/ingest.ts', ['--corpus', corpus, '--index', index]),
      startScript('src/cli/ingest.ts', ['--corpus', corpus, '--index', index]),
    ];
    const results = await Promise.all(runs.map((run) => run.finished));
    for (const { status, stderr } of results) {
      expect(status, stderr).toBe(0);
      expect(stderr).not.toMatch(/ENOENT|error/);
    }
    // One of them did the work; the other found it done (or waited for it).
    expect(results.map((r) => /added 5/.test(r.stderr)).filter(Boolean)).toHaveLength(1);
    expect(loadIndex(index)?.documents.size).toBe(5);
    const entries = readdirSync(index);
    expect(entries.filter((entry) => entry.startsWith('gen-'))).toHaveLength(1);
    expect(entries.filter((entry) => entry.includes('.tmp-') || entry.includes('lock'))).toEqual([]);
    expect(existsSync(path.join(index, 'manifest.json'))).toBe(true);
  });
});
