import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runScript } from '../support/cli-process.js';
import { ROOT } from '../support/helpers.js';
import { type RefusingPostgres, startRefusingPostgres } from '../support/refusing-postgres.js';

/**
 * A bad variable stops every entry point with exit 2 and one line that names the variable and not
 * its value (no pino stack trace for LOG_LEVEL, no echo of EMBEDDING_MODEL).
 */
const BAD = { LOG_LEVEL: 'loud-SECRET', EMBEDDING_MODEL: 'Xenova/SECRET', QUEUE_SIZE: 'SECRET', MAX_DOCUMENT_BYTES: '-5' };
const NAMED = [
  'LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
  'EMBEDDING_MODEL: not a known model; use one of',
  'QUEUE_SIZE: must be auto or a whole number',
  'MAX_DOCUMENT_BYTES: Too small',
];

describe('a bad variable', () => {
  it.each(['src/cli/ask.ts', 'src/cli/ingest.ts', 'src/cli/start.ts'])('stops %s with one line naming it, never its value', (script) => {
    const { status, stdout, stderr } = runScript(script, script.endsWith('ask.ts') ? ['hi'] : [], BAD);
    expect(status, stderr).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((line) => line && !line.startsWith('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: invalid configuration: /);
    for (const named of NAMED) expect(lines[0]).toContain(named);
    expect(stderr).not.toMatch(/SECRET|-5/);
  });
});

describe('the PostgreSQL backend from the command line', () => {
  it.each(['src/cli/ingest.ts', 'src/cli/db-migrate.ts', 'src/cli/ask.ts'])(
    '%s: a malformed DATABASE_URL is one line, without the password',
    (script) => {
      const { status, stderr } = runScript(script, script.endsWith('ask.ts') ? ['hi'] : [], {
        INDEX_BACKEND: 'postgres',
        DATABASE_URL: 'postgres://bot:hunter2@db.example:port/x',
      });
      expect(status, stderr).toBe(2);
      expect(stderr.trim()).toBe('error: invalid configuration: DATABASE_URL: must be a postgres://user:password@host:port/database URL');
    },
  );

  it('a database that does not answer is one line naming host and port, without the password', () => {
    // Port 9 (discard) on 127.0.0.1: nothing listens there.
    const { status, stderr } = runScript('src/cli/db-migrate.ts', [], {
      INDEX_BACKEND: 'postgres',
      DATABASE_URL: 'postgres://bot:hunter2@127.0.0.1:9/quotebot',
    });
    expect(status, stderr).toBe(2);
    expect(stderr.trim()).toBe('error: the index database at 127.0.0.1:9/quotebot is unreachable (connection refused)');
  });

  it('ask: a database that does not answer is one line, with no warning before it', () => {
    const { status, stdout, stderr } = runScript('src/cli/ask.ts', ['hi'], {
      INDEX_BACKEND: 'postgres',
      DATABASE_URL: 'postgres://bot:hunter2@127.0.0.1:9/quotebot',
    });
    expect(status, stderr).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe('error: the index database at 127.0.0.1:9/quotebot is unreachable (connection refused)');
  });

  describe('a wrong password', () => {
    let server: RefusingPostgres;
    beforeAll(async () => {
      server = await startRefusingPostgres();
    });
    afterAll(() => server?.close());

    /** Asynchronously: the refusing server answers from this process. */
    async function run(script: string, args: string[]) {
      const env = cliEnv({ INDEX_BACKEND: 'postgres', DATABASE_URL: `postgres://quotebot:hunter2@127.0.0.1:${server.port}/quotebot` });
      const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const [status] = await once(child, 'close');
      return { status, stdout, stderr };
    }

    it.each([
      ['src/cli/ask.ts', ['hi']],
      ['src/cli/db-migrate.ts', []],
    ])('%s: is named as such, in one line, without the password', async (script, args) => {
      const { status, stdout, stderr } = await run(script, args);
      expect(status, stderr).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim()).toBe(
        `error: the index database at 127.0.0.1:${server.port}/quotebot rejected the user name or password in DATABASE_URL (password authentication failed)`,
      );
    });
  });
});
