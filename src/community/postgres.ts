import type pg from 'pg';
import { type Database, type DatabaseOptions, openDatabase, query, transaction } from '../postgres/db.js';
import { numberedPlaceholders, type Row, type SqlDatabase } from './sql.js';

/**
 * With INDEX_BACKEND=postgres the community tables live in the index's database and schema, through
 * the same connection code (src/postgres/db.ts): every bot process sees the same settings and reports.
 */
export function openPostgresCommunity(options: DatabaseOptions): SqlDatabase {
  const db = openDatabase(options);
  return postgresDatabase(db, db.pool, async () => {
    // The schema may not exist yet when the bot starts before the first ingest.
    await query(db.pool, db.where, `CREATE SCHEMA IF NOT EXISTS ${db.schema}`);
  });
}

function postgresDatabase(db: Database, runner: pg.Pool | pg.PoolClient, prepare?: () => Promise<void>): SqlDatabase {
  return {
    kind: 'postgres',
    where: db.where,
    all: async (sql, params = []) => (await query(runner, db.where, numberedPlaceholders(sql), params)).rows as Row[],
    run: async (sql, params = []) => (await query(runner, db.where, numberedPlaceholders(sql), params)).rowCount ?? 0,
    async transaction(fn, lockKey) {
      await prepare?.();
      return transaction(db, async (client) => {
        if (lockKey) await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${lockKey}:${db.schema}`]);
        return fn(postgresDatabase(db, client));
      });
    },
    close: () => db.close(),
  };
}
