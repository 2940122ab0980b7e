import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyCorpusMessage } from '../../src/cli/empty-index.js';
import { runScript } from '../support/cli-process.js';
import { tempDir } from '../support/helpers.js';

/** A corpus folder whose every file is skipped: one empty, one binary. */
function skippedOnly(): string {
  const dir = tempDir('empty-corpus-');
  writeFileSync(path.join(dir, 'a.txt'), '');
  writeFileSync(path.join(dir, 'b.txt'), Buffer.from([0, 1, 2]));
  return dir;
}

const lastLine = (stderr: string) => stderr.trim().split('\n').at(-1);

describe('an index with no article', () => {
  it('stops ask with one error line naming the corpus folder and why each file was skipped', () => {
    const corpus = skippedOnly();
    const { status, stdout, stderr } = runScript('src/cli/ask.ts', [
      '--json',
      '--corpus',
      corpus,
      '--index',
      tempDir('empty-index-'),
      'What happened?',
    ]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(lastLine(stderr)).toBe(
      `error: nothing is indexed: all 2 files in the corpus folder ${corpus} were skipped (a.txt: empty; b.txt: binary (contains NUL bytes))`,
    );
    expect(stderr.match(/^error:/gm)).toHaveLength(1);
  });

  it('stops the terminal mode the same way, before the prompt', () => {
    const corpus = tempDir('no-articles-');
    const { status, stdout, stderr } = runScript(
      'src/cli/start.ts',
      [],
      { CORPUS_DIR: corpus, INDEX_DIR: tempDir('empty-index-') },
      'What happened?\n',
    );
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(lastLine(stderr)).toBe(
      `error: nothing is indexed: the corpus folder ${corpus} has no .txt or .md files (add articles there, or set --corpus or CORPUS_DIR)`,
    );
  });

  it('names at most three skipped files in its one line', () => {
    const skipped = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ file: `${name}.txt`, reason: 'empty' }));
    expect(emptyCorpusMessage('/corpus', skipped)).toBe(
      'nothing is indexed: all 5 files in the corpus folder /corpus were skipped (a.txt: empty; b.txt: empty; c.txt: empty; and 2 more, in the warnings above)',
    );
    expect(emptyCorpusMessage('/corpus', skipped.slice(0, 1))).toBe(
      'nothing is indexed: the only file in the corpus folder /corpus was skipped (a.txt: empty)',
    );
  });
});
