import { MODEL_SPECS } from '../embedding/models.js';
import { type Database, query, transaction } from './db.js';

/**
 * The index in PostgreSQL. One published state at a time:
 * - `documents`: id, corpus position, sha256 and title (what decides re-embedding), the text
 *   (bot machines need no corpus files), the metadata shown with quotes, and the MinHash
 *   signature that finds copies of one story (src/corpus/copies.ts; grouped when the index loads);
 * - `chunks` and `sentences`: offsets into the text, and one `vector(384)` column per known model
 *   (`v_all_minilm_l6_v2`, …): the primary model's and the rerank models' vectors;
 * - an HNSW index (`vector_cosine_ops`) on the primary model's chunk column;
 * - `index_state`: one row with the generation number (bumped by every publish), the settings and
 *   the last ingest's summary. Readers check it to pick up a new state;
 * - `bm25_parts`: BM25 over chunks and over sentences as of one generation, in parts (bm25-store.ts);
 * - `schema_migrations`: which of MIGRATIONS ran.
 */

/** What a document row stores besides its text: everything the bot shows with a quote. */
export interface StoredMetadata {
  publisher: string | null;
  author: string | null;
  date: string | null;
  url: string | null;
  /** The file below the corpus folder, for people reading the table. */
  file: string;
  bodyStart?: number;
  sourceKey?: string | null;
}

/** The column of a model's vectors, e.g. Xenova/all-MiniLM-L6-v2 → v_all_minilm_l6_v2. */
export function vectorColumn(model: string): string {
  if (!(model in MODEL_SPECS)) throw new Error(`unknown embedding model "${model}"`);
  return `v_${model
    .split('/')
    .pop()!
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')}`;
}

/** The HNSW index over a model's chunk vectors (created when that model is first the primary one). */
export function hnswIndexName(model: string): string {
  return `chunks_hnsw_${vectorColumn(model).slice(2)}`;
}

/** HNSW build parameters, as the local graph's (src/index/store.ts). */
export const PG_HNSW = { m: 16, efConstruction: 200 };

interface Migration {
  version: number;
  name: string;
  sql: string;
}

const modelColumns = (models: string[]) => models.map((model) => `${vectorColumn(model)} vector(384)`).join(',\n  ');

/** Versioned, append-only: never edit a published migration, add the next one. */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'documents, chunks and sentences with vectors of the three known models; index state',
    sql: `
CREATE TABLE index_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  generation bigint NOT NULL DEFAULT 0,
  settings jsonb,
  published_at timestamptz,
  summary jsonb
);
INSERT INTO index_state DEFAULT VALUES;
CREATE TABLE documents (
  id text PRIMARY KEY,
  position integer NOT NULL,
  sha256 text NOT NULL,
  title text NOT NULL,
  text text NOT NULL,
  metadata jsonb NOT NULL
);
CREATE TABLE chunks (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id text NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  ord integer NOT NULL,
  start_offset integer NOT NULL,
  end_offset integer NOT NULL,
  first_sentence integer NOT NULL,
  last_sentence integer NOT NULL,
  ${modelColumns(['Xenova/all-MiniLM-L6-v2', 'Xenova/bge-small-en-v1.5', 'Xenova/e5-small-v2'])},
  UNIQUE (document_id, ord)
);
CREATE TABLE sentences (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id text NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  ord integer NOT NULL,
  start_offset integer NOT NULL,
  end_offset integer NOT NULL,
  ${modelColumns(['Xenova/all-MiniLM-L6-v2', 'Xenova/bge-small-en-v1.5', 'Xenova/e5-small-v2'])},
  UNIQUE (document_id, ord)
);
CREATE INDEX ${hnswIndexName('Xenova/all-MiniLM-L6-v2')} ON chunks USING hnsw (${vectorColumn('Xenova/all-MiniLM-L6-v2')} vector_cosine_ops) WITH (m = ${PG_HNSW.m}, ef_construction = ${PG_HNSW.efConstruction});
`,
  },
  {
    version: 2,
    name: "documents.signature: each document's MinHash signature, to find copies of one story",
    sql: 'ALTER TABLE documents ADD COLUMN signature text;',
  },
  {
    version: 3,
    name: 'bm25_parts: BM25 over chunks and sentences, stored with each published state (bots load it instead of tokenising every text)',
    sql: `
CREATE TABLE bm25_parts (
  generation bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('chunks', 'sentences')),
  part integer NOT NULL,
  header text,
  data bytea NOT NULL,
  PRIMARY KEY (kind, part)
);
ALTER TABLE bm25_parts ALTER COLUMN data SET STORAGE EXTERNAL;
`,
  },
];

/** Serialises migrations (and ingests) of one schema across processes and machines. */
export const LOCK_KEY = 'quotebot-index';

/**
 * Bring the schema up to date: create the vector extension and the schema if missing, then run
 * every migration not yet recorded in schema_migrations, all in one transaction, under an
 * advisory lock (two processes migrating at once run each migration once). Returns the versions applied.
 */
export async function migrate(db: Database): Promise<number[]> {
  const { schema } = db;
  await query(db.pool, db.where, 'CREATE EXTENSION IF NOT EXISTS vector').catch(async (error: unknown) => {
    // Without the right to create it, an extension someone else created is enough.
    if (!(await db.vectorVersion()))
      throw new Error(
        `the pgvector extension is missing and could not be created (${(error as Error).message}); run CREATE EXTENSION vector as a superuser`,
      );
  });
  return transaction(db, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${LOCK_KEY}:${schema}:migrate`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set((await client.query(`SELECT version FROM ${schema}.schema_migrations`)).rows.map((row) => row.version as number));
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query(`SET LOCAL search_path = ${schema}, public`);
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      applied.push(migration.version);
    }
    return applied;
  });
}

/** The highest migration this code knows: a reader refuses a database that has not reached it (run npm run db:migrate). */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
