import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/helpers.js';

/**
 * scripts/db.sh as root creates the system user quotebot-pg and leaves it: stop and reset must say
 * so. Root and the user are faked by an `id` first on PATH, so nothing is created or needed here.
 */
function db(command: string, { userExists, state }: { userExists: boolean; state: string }) {
  const bin = tempDir('fake-id-');
  const id = path.join(bin, 'id');
  writeFileSync(
    id,
    `#!/bin/sh\nif [ "$1" = -u ]; then echo 0; exit 0; fi\nif [ "$1" = quotebot-pg ]; then exit ${userExists ? 0 : 1}; fi\nexec /usr/bin/id "$@"\n`,
  );
  chmodSync(id, 0o755);
  const result = spawnSync('bash', [path.join(ROOT, 'scripts/db.sh'), command], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, QUOTEBOT_PG_DIR: state },
  });
  return { status: result.status, stderr: result.stderr };
}

describe('scripts/db.sh as root', () => {
  it('stop says the system user it created remains, and how to remove it', () => {
    const state = tempDir('pg-state-');
    mkdirSync(path.join(state, 'data'));
    const { status, stderr } = db('stop', { userExists: true, state });
    expect(status).toBe(0);
    expect(stderr).toContain(
      `db: the system user quotebot-pg (created by start to run the server) remains, owning ${state}/data; to remove both: scripts/db.sh reset && userdel quotebot-pg`,
    );
  });

  it('reset removes the data, then says how to remove the user', () => {
    const state = tempDir('pg-state-');
    const { status, stderr } = db('reset', { userExists: true, state });
    expect(status).toBe(0);
    expect(stderr.trim().split('\n')).toEqual([
      `db: removed ${state}`,
      'db: the system user quotebot-pg (created by start to run the server) remains; remove it with: userdel quotebot-pg',
    ]);
  });

  it('says nothing of a user that does not exist', () => {
    const { status, stderr } = db('stop', { userExists: false, state: tempDir('pg-state-') });
    expect(status).toBe(0);
    expect(stderr).toBe('');
  });
});

describe('scripts/db.sh in a clean clone (nothing installed, no data)', () => {
  /** The script copied alone into an empty checkout, so no .cache of this one is seen. */
  function fresh(command: string) {
    const checkout = tempDir('clean-clone-');
    mkdirSync(path.join(checkout, 'scripts'));
    copyFileSync(path.join(ROOT, 'scripts/db.sh'), path.join(checkout, 'scripts/db.sh'));
    const { QUOTEBOT_PG_DIR: _state, ...env } = process.env;
    const result = spawnSync('bash', [path.join(checkout, 'scripts/db.sh'), command], { encoding: 'utf8', env });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('status says "stopped", with no error about binaries that start would install', () => {
    expect(fresh('status')).toEqual({ status: 3, stdout: 'stopped\n', stderr: '' });
  });

  it('url says the server is not running and how to start it, in one line', () => {
    expect(fresh('url')).toEqual({ status: 2, stdout: '', stderr: 'db: error: the server is not running (scripts/db.sh start)\n' });
  });
});
