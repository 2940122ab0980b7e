import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Running, runScript, startScript } from '../support/cli-process.js';
import { copyOfSeeds, tempDir } from '../support/helpers.js';

const PENGUINS = 'How many emperor penguins breed at Halley Bay?';

/** The JSON answers printed so far, one per line. */
function answers(run: Running): Array<{ question: string; answered: boolean; results: Array<{ docId: string }>; error?: string }> {
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

async function askLine(run: Running, line: string): Promise<ReturnType<typeof answers>[number]> {
  const before = answers(run).length;
  run.child.stdin!.write(`${line}\n`);
  await run.waitFor(new RegExp(`^(.*\\n){${before + 1}}`), 'stdout');
  return answers(run)[before]!;
}

describe('a long-running ask --stdin', () => {
  const corpus = copyOfSeeds();
  const index = tempDir('stdin-index-');
  const run = startScript('src/cli/ask.ts', ['--json', '--stdin', '--corpus', corpus, '--index', index]);
  afterAll(() => run.child.kill());

  it('picks up a generation that another process wrote, before the next line', async () => {
    expect((await askLine(run, PENGUINS)).answered).toBe(false);
    writeFileSync(
      path.join(corpus, 'penguins.txt'),
      'Penguin census\n\nAbout 20,000 pairs of emperor penguins breed at Halley Bay in Antarctica, scientists said.',
    );
    const ingest = runScript('src/cli/ingest.ts', ['--corpus', corpus, '--index', index]);
    expect(ingest.stderr).toMatch(/added 1, changed 0, removed 0, unchanged 5/);

    const answer = await askLine(run, PENGUINS);
    expect(answer.answered).toBe(true);
    expect(answer.results[0]!.docId).toBe('penguins');
    // It loaded the new generation rather than re-indexing itself.
    expect(run.stderr.match(/indexed \d+ documents/g)).toHaveLength(1);
  });

  it('quotes at most 100 characters of a rejected 1 MB line, and goes on', async () => {
    const rejected = await askLine(run, 'x'.repeat(1_000_000));
    expect(rejected).toEqual({
      question: `${'x'.repeat(100)}…`,
      answered: false,
      results: [],
      closest: [],
      error: 'the question is 1000000 characters long; the limit is 2000',
    });
    expect((await askLine(run, PENGUINS)).answered).toBe(true);
    run.child.stdin!.end();
    const { status } = await run.finished;
    expect(status).toBe(0);
  });
});
