import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { modelsDir, ROOT, TEST_MODEL, tempDir } from '../support/helpers.js';
import { describeWithPostgres, testDatabase } from '../support/postgres.js';

/** `npm run eval -- --backend postgres`: the bot pipeline over PostgreSQL scores what it scores over the local files. */
const TINY = path.join(ROOT, 'test/fixtures/tiny-beir');
const cache = tempDir('eval-cache-');
const database = testDatabase();
afterAll(() => database.drop());

async function evaluate(backend: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/eval.ts', '--cache', cache, '--beir', TINY, '--mode', 'bot', '--backend', backend, '--json'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        MODELS_DIR: modelsDir(),
        EMBEDDING_MODEL: TEST_MODEL,
        DATABASE_URL: database.url,
        DATABASE_SCHEMA: database.schema,
      },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [status] = await once(child, 'close');
  expect(status, stderr).toBe(0);
  return JSON.parse(stdout.trim()) as Record<string, unknown>;
}

describeWithPostgres('npm run eval -- --backend postgres', () => {
  it('gives the bot mode the same metrics as the local backend', async () => {
    const local = await evaluate('local');
    const postgres = await evaluate('postgres');
    expect(postgres).toMatchObject({ dataset: 'tiny-beir', backend: 'postgres', mode: 'bot', queries: 3 });
    for (const metric of ['ndcg@10', 'recall@10', 'recall@100', 'mrr@10']) expect(postgres[metric], metric).toBe(local[metric]);
  }, 180_000);
});
