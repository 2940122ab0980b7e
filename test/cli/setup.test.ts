import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { copyOfSeeds, modelsDir, ROOT, TEST_MODEL, tempDir } from '../support/helpers.js';

const run = promisify(execFile);
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

describe('npm run setup', () => {
  it('creates .env from .env.example once, then builds the index through the same code as ingest', async () => {
    const checkout = tempDir('setup-');
    writeFileSync(path.join(checkout, '.env.example'), 'COOLDOWN_SECONDS=7\n');
    const index = path.join(checkout, 'index');
    const env = {
      ...process.env,
      CORPUS_DIR: copyOfSeeds(),
      INDEX_DIR: index,
      MODELS_DIR: modelsDir(),
      EMBEDDING_MODEL: TEST_MODEL,
      RERANK_MODELS: 'none',
    };
    const setup = () => run(TSX, [path.join(ROOT, 'src/cli/setup.ts')], { cwd: checkout, env });

    const first = await setup();
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(/^created \.env from \.env\.example/);
    expect(first.stderr).toMatch(/indexed 5 documents .*\n {2}added 5, changed 0, removed 0, unchanged 0, skipped 0/);
    expect(readFileSync(path.join(checkout, '.env'), 'utf8')).toBe('COOLDOWN_SECONDS=7\n');
    expect(existsSync(path.join(index, 'manifest.json'))).toBe(true);

    writeFileSync(path.join(checkout, '.env'), 'COOLDOWN_SECONDS=9\n');
    const second = await setup();
    expect(second.stderr).not.toMatch(/created \.env/);
    expect(second.stderr).toMatch(/added 0, changed 0, removed 0, unchanged 5, skipped 0/);
    expect(readFileSync(path.join(checkout, '.env'), 'utf8')).toBe('COOLDOWN_SECONDS=9\n');
  });
});
