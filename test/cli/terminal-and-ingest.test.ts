import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyOfSeeds, modelsDir, ROOT, SEEDS, TEST_MODEL, tempDir } from '../support/helpers.js';

function run(script: string, args: string[], env: Record<string, string>, input = '') {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, MODELS_DIR: modelsDir(), EMBEDDING_MODEL: TEST_MODEL, RERANK_MODELS: 'none', DISCORD_TOKEN: '', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run ingest', () => {
  it('prints a summary on stderr, and a second run re-embeds nothing', () => {
    const corpus = copyOfSeeds();
    const index = tempDir('ingest-index-');
    const first = run('src/cli/ingest.ts', ['--corpus', corpus, '--index', index], {});
    expect(first.status).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(/embedding \[#+\] \d+\/\d+/);
    expect(first.stderr).toMatch(
      /indexed 5 documents \(\d+ chunks, \d+ sentences\) in [\d.]+ s\n {2}added 5, changed 0, removed 0, unchanged 0, skipped 0/,
    );
    // Where it published, so nobody has to guess which folder was written.
    expect(first.stderr).toContain(`\n  published to the index folder ${index}\n`);
    const second = run('src/cli/ingest.ts', ['--corpus', corpus, '--index', index], {});
    expect(second.stderr).toMatch(/added 0, changed 0, removed 0, unchanged 5, skipped 0/);
  });
});

describe('one article', () => {
  it('is counted in the singular by the ingest summary and the terminal mode', () => {
    const corpus = tempDir('one-article-');
    copyFileSync(path.join(SEEDS, '001_ae8a7436e91a9c39.txt'), path.join(corpus, 'only.txt'));
    const index = tempDir('one-index-');
    const ingested = run('src/cli/ingest.ts', ['--corpus', corpus, '--index', index], {});
    expect(ingested.stderr).toMatch(/^indexed 1 document \(\d+ chunks, \d+ sentences\) in /m);
    const { stdout } = run('src/cli/start.ts', [], { CORPUS_DIR: corpus, INDEX_DIR: index }, 'exit\n');
    expect(stdout).toContain('Quotebot terminal mode: 1 article indexed.');
  });
});

describe('npm start without DISCORD_TOKEN', () => {
  it('runs the terminal mode over the same core and says how to start the bot', () => {
    const env = { CORPUS_DIR: copyOfSeeds(), INDEX_DIR: tempDir('terminal-index-') };
    const { status, stdout } = run(
      'src/cli/start.ts',
      [],
      env,
      'How much wheat did Russia donate to Cuba?\n\nWhat is the capital of Australia?\nexit\n',
    );
    expect(status).toBe(0);
    expect(stdout).toContain('terminal mode: 5 articles indexed');
    expect(stdout).toContain('set DISCORD_TOKEN');
    expect(stdout).toMatch(/1\. “.*25,000 tonnes of wheat/);
    expect(stdout).toContain('The articles do not cover this question.');
    // Piped questions are echoed after the prompt, so the transcript says what was asked.
    expect(stdout).toContain('ask> How much wheat did Russia donate to Cuba?\n');
    expect(stdout).toContain('ask> What is the capital of Australia?\n');
    expect(stdout).toMatch(/ask> exit\n$/);
  });
});
