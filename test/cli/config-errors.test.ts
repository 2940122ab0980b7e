import { describe, expect, it } from 'vitest';
import { runScript } from './cli-process.js';

/**
 * A bad variable stops every entry point with exit 2 and one line that names the variable and not
 * its value (no pino stack trace for LOG_LEVEL, no echo of EMBEDDING_MODEL).
 */
const BAD = { LOG_LEVEL: 'loud-SECRET', EMBEDDING_MODEL: 'Xenova/SECRET', QUEUE_SIZE: 'SECRET', MAX_DOCUMENT_BYTES: '-5' };
const NAMED = [
  'LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
  'EMBEDDING_MODEL: not a known model; use one of',
  'QUEUE_SIZE: Invalid input: expected number',
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
  it.each(['src/cli/ingest.ts', 'src/cli/db-migrate.ts', 'src/cli/ask.ts'])('%s: a malformed DATABASE_URL is one line, without the password', (script) => {
    const { status, stderr } = runScript(script, script.endsWith('ask.ts') ? ['hi'] : [], { INDEX_BACKEND: 'postgres', DATABASE_URL: 'postgres://bot:hunter2@db.example:port/x' });
    expect(status, stderr).toBe(2);
    expect(stderr.trim()).toBe('error: invalid configuration: DATABASE_URL: must be a postgres://user:password@host:port/database URL');
  });

  it('a database that does not answer is one line naming host and port, without the password', () => {
    // Port 9 (discard) on 127.0.0.1: nothing listens there.
    const { status, stderr } = runScript('src/cli/db-migrate.ts', [], { INDEX_BACKEND: 'postgres', DATABASE_URL: 'postgres://bot:hunter2@127.0.0.1:9/quotebot' });
    expect(status, stderr).toBe(2);
    expect(stderr.trim()).toBe('error: the index database at 127.0.0.1:9/quotebot is unreachable (connection refused)');
  });
});

