import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Row, SqlDatabase } from './sql.js';

/**
 * The embedded default: one SQLite file (better-sqlite3, synchronous and in-process) beside the
 * index. WAL lets a reader (another process, a backup) look while the bot writes.
 */
export function openSqlite(file: string): SqlDatabase {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return sqliteDatabase(db, file);
}

function sqliteDatabase(db: Database.Database, where: string): SqlDatabase {
  const self: SqlDatabase = {
    kind: 'sqlite',
    where,
    all: async (sql, params = []) => db.prepare(sql).all(...params) as Row[],
    run: async (sql, params = []) => db.prepare(sql).run(...params).changes,
    async transaction(fn) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(self);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
    close: async () => {
      db.close();
    },
  };
  return self;
}
