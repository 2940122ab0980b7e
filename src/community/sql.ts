import { COMMUNITY_MIGRATIONS } from './migrations.js';

/** A row as a driver returns it: column name to value. */
export type Row = Record<string, unknown>;

/**
 * The little a community store needs from a database, so one store works over SQLite and
 * PostgreSQL alike. Statements use `?` placeholders; the PostgreSQL side numbers them.
 */
export interface SqlDatabase {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the data is, for messages: a file path, or host:port/database (never credentials). */
  readonly where: string;
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  run(sql: string, params?: unknown[]): Promise<number>;
  /** `fn` in one transaction, with a database that runs inside it; `lockKey` serialises it across processes where the database can. */
  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>, lockKey?: string): Promise<T>;
  close(): Promise<void>;
}

/** Runs the migrations not yet recorded in `community_migrations`, in one transaction; returns the versions applied. */
export async function migrateCommunity(db: SqlDatabase): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.run(
      'CREATE TABLE IF NOT EXISTS community_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)',
    );
    const done = new Set((await tx.all('SELECT version FROM community_migrations')).map((row) => Number(row.version)));
    const applied: number[] = [];
    for (const migration of COMMUNITY_MIGRATIONS) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.run(statement);
      await tx.run('INSERT INTO community_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
      applied.push(migration.version);
    }
    return applied;
  }, 'community-migrate');
}

/** `?` → `$1`, `$2`…, for PostgreSQL (no statement here has a `?` inside a string literal). */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
