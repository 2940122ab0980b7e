import pg from 'pg';
import pgvector from 'pgvector/pg';
import { connectionErrorCode, connectionFailureReason } from '../core/connection-errors.js';
import { DatabaseAuthError, DatabaseUnavailableError, UserError } from '../core/errors.js';

/** Where the index lives in PostgreSQL: a connection URL and the schema holding the tables. */
export interface DatabaseOptions {
  databaseUrl: string;
  /** Schema of the tables (default `quotebot`): several indexes (or test runs) can share one database. */
  databaseSchema?: string;
  /** hnsw.ef_search for nearest-chunk queries (see HNSW_EF_SEARCH). */
  efSearch?: number;
}

export const DEFAULT_SCHEMA = 'quotebot';

/**
 * hnsw.ef_search: the size of the candidate list of an HNSW search. pgvector's default (40) would
 * cap a query at 40 results, below the 100 candidates the first stage asks for. Measured against
 * exact search (scripts/pg-recall.ts, docs/scale-out.md): recall@10 ≥ 0.99 from 40 on, and all 100 candidates
 * exact from 200.
 */
export const HNSW_EF_SEARCH = 200;

/**
 * hnsw.ef_search for a table of this many chunks: HNSW_EF_SEARCH up to 10,000 rows, doubling every
 * tenfold, at most pgvector's 1,000. A larger graph needs a longer candidate list for the same
 * recall; measured with scripts/pg-scale.ts on the bench's news index (docs/scale-out.md): recall@10
 * at 100,000 chunks 0.987 at 200, 0.992 at 400.
 */
export function pgEfSearchFor(rows: number): number {
  const tenfolds = Math.max(0, Math.log10(Math.max(rows, 1) / 10_000));
  return Math.min(1000, Math.round(HNSW_EF_SEARCH * 2 ** tenfolds));
}

export { DatabaseAuthError, DatabaseUnavailableError };

/** A pool of connections whose sessions use the index's schema (then public, where the vector type usually is). */
export interface Database {
  pool: pg.Pool;
  schema: string;
  /** "host:port/database", for messages: never the user or password. */
  where: string;
  /** pgvector's version (e.g. "0.8.5"), read on first use. */
  vectorVersion(): Promise<string | null>;
  close(): Promise<void>;
}

/** The database an engine's options name; DATABASE_URL is required with INDEX_BACKEND=postgres. */
export function databaseOf(options: { databaseUrl?: string; databaseSchema?: string }): Database {
  if (!options.databaseUrl) throw new UserError('DATABASE_URL is required when INDEX_BACKEND=postgres');
  return openDatabase({ databaseUrl: options.databaseUrl, databaseSchema: options.databaseSchema });
}

export function openDatabase({ databaseUrl, databaseSchema = DEFAULT_SCHEMA, efSearch = HNSW_EF_SEARCH }: DatabaseOptions): Database {
  if (!/^[a-z_][a-z0-9_]*$/.test(databaseSchema)) throw new UserError('DATABASE_SCHEMA must be a lower-case SQL identifier');
  const where = describeUrl(databaseUrl);
  // Session settings as startup options: every connection of the pool has them before its first query.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    options: `-c search_path=${databaseSchema},public -c hnsw.ef_search=${efSearch}`,
    max: 4,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
  });
  // An idle connection that dies (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  let version: Promise<string | null> | null = null;
  return {
    pool,
    schema: databaseSchema,
    where,
    vectorVersion: () =>
      (version ??= query(pool, where, `SELECT extversion FROM pg_extension WHERE extname = 'vector'`).then(
        (result) => (result.rows[0]?.extversion as string) ?? null,
      )),
    close: () => pool.end(),
  };
}

/** Run one statement; a connection failure becomes a DatabaseUnavailableError naming host and port. */
export async function query(
  pool: pg.Pool | pg.PoolClient,
  where: string,
  text: string | pg.QueryConfig,
  values?: unknown[],
): Promise<pg.QueryResult> {
  try {
    return await (pool as pg.Pool).query(text as string, values);
  } catch (error) {
    throw asDatabaseError(error, where);
  }
}

/** A client from the pool for a transaction; the same error translation. */
export async function connect(db: Database): Promise<pg.PoolClient> {
  try {
    return await db.pool.connect();
  } catch (error) {
    throw asDatabaseError(error, db.where);
  }
}

/** `fn` with one client of the pool; a failure becomes one line naming host and port, and a connection that failed is closed, not handed to the next caller. */
export async function withClient<T>(db: Database, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await connect(db);
  let broken = false;
  try {
    return await fn(client);
  } catch (error) {
    broken = isUnavailable(error);
    throw asDatabaseError(error, db.where);
  } finally {
    client.release(broken);
  }
}

/** `fn` inside one transaction (committed when it returns, rolled back when it throws). */
export function transaction<T>(db: Database, fn: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  return withClient(db, async (client) => {
    await client.query(begin);
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/** SQLSTATE classes 08 (connection), 28 (authorization), 57P0x (shutdown), 3D000 (no such database). */
const UNAVAILABLE_STATES = /^(08|28|57P0|3D000)/;

/** A failure to reach the database (as opposed to a bug in a statement): one line, without credentials. */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (connectionErrorCode(error) || (code && UNAVAILABLE_STATES.test(code))) return true;
  return /Connection terminated|timeout expired|connection timeout|Client has encountered a connection error|Connection ended/i.test(
    message ?? '',
  );
}

export function asDatabaseError(error: unknown, where: string): unknown {
  if (error instanceof DatabaseUnavailableError || !isUnavailable(error)) return error;
  const { code } = error as { code?: string };
  // The server's own message names the user: ours names host, port and database only.
  if (code?.startsWith('28')) {
    const reason = code === '28P01' ? 'password authentication failed' : `not authorised, SQLSTATE ${code}`;
    return new DatabaseAuthError(`the index database at ${where} rejected the user name or password in DATABASE_URL (${reason})`);
  }
  return new DatabaseUnavailableError(`the index database at ${where} is unreachable (${connectionFailureReason(error)})`);
}

/** host:port/database of a connection URL, without user or password. */
export function describeUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname || ''}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** pgvector's binary `vector` format: int16 dimension, int16 unused, then big-endian float4s. */
export function vectorFromBinary(buffer: Buffer): Float32Array {
  const dimension = buffer.readInt16BE(0);
  const out = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) out[i] = buffer.readFloatBE(4 + 4 * i);
  return out;
}

/** A vector as a query parameter (pgvector's text form; a float32 written this way reads back bit for bit). */
export function vectorParam(vector: Float32Array): string {
  return pgvector.toSql(Array.from(vector)) as string;
}
