import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';

/**
 * The PostgreSQL the Postgres tests run against: TEST_DATABASE_URL (`.ci/run` and `scripts/db.sh`
 * set it up). Without a reachable database these tests skip with the reason shown, except when
 * CI=true: there a missing database is a failing test, so they can never be skipped silently.
 */
export interface TestDatabase {
  url: string;
  /** A fresh schema per test file, so files can run in parallel against one database. */
  schema: string;
  drop(): Promise<void>;
}

const url = process.env.TEST_DATABASE_URL;

async function probe(): Promise<string | null> {
  if (!url) return 'TEST_DATABASE_URL is not set (start one with scripts/db.sh start; export TEST_DATABASE_URL=$(scripts/db.sh url))';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `the database at TEST_DATABASE_URL is not reachable (${(error as Error).message.split('\n')[0]})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why the Postgres tests cannot run here, or null when they can. Checked once per test file. */
export const unavailable = await probe();

/** A describe block that runs only with a database, and fails (CI) or visibly skips (locally) without one. */
export function describeWithPostgres(name: string, body: () => void): void {
  if (!unavailable) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs a PostgreSQL database (CI=true: never skipped)', () => {
        throw new Error(`${unavailable}`);
      });
    });
    return;
  }
  process.stderr.write(`skipping "${name}": ${unavailable}\n`);
  describe.skip(`${name} (skipped: ${unavailable})`, body);
}

export function testDatabase(): TestDatabase {
  const schema = `test_${randomBytes(5).toString('hex')}`;
  return {
    url: url!,
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}
