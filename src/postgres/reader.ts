import type pg from 'pg';
import { dotRow } from '../core/vectors.js';
import type { LoadedDocument } from '../corpus/corpus.js';
import type { IndexSettings } from '../index/manifest.js';
import { referenceRows } from '../index/reference-moments.js';
import type { IndexView, RowVectors } from '../search/index-view.js';
import { loadBm25 } from './bm25-store.js';
import { type Database, pgEfSearchFor, query, transaction, vectorFromBinary, vectorParam, withClient } from './db.js';
import { type DocumentRow, readLayout } from './layout.js';
import { SCHEMA_VERSION, vectorColumn } from './schema.js';

/** The published state changed under a reader (rows it knows were replaced): reload and ask again. */
export class IndexChangedError extends Error {
  override name = 'IndexChangedError';
}

/** One published state, as a reader holds it: the document table in memory, vectors in the database. */
export interface PostgresState {
  generation: string;
  settings: IndexSettings;
  documents: LoadedDocument[];
  view: IndexView;
}

/** Why a database cannot serve as an index yet, or null when it can. */
export async function notReady(db: Database): Promise<string | null> {
  const exists = (await query(db.pool, db.where, 'SELECT to_regclass($1) AS t', [`${db.schema}.schema_migrations`])).rows[0].t;
  if (!exists)
    return `the database at ${db.where} has no quotebot index (schema ${db.schema}); run npm run ingest with INDEX_BACKEND=postgres first`;
  const version = (await query(db.pool, db.where, 'SELECT max(version) AS v FROM schema_migrations')).rows[0].v as number | null;
  if ((version ?? 0) < SCHEMA_VERSION)
    return `the index schema in ${db.where} is at version ${version ?? 0}, this code needs ${SCHEMA_VERSION}; run npm run db:migrate`;
  return null;
}

/** The generation number readers compare (one single-row read): null before the first publish. */
export async function currentGeneration(db: Database): Promise<string | null> {
  const generation = (await query(db.pool, db.where, 'SELECT generation FROM index_state')).rows[0]?.generation as string | undefined;
  return generation && generation !== '0' ? generation : null;
}

/**
 * Read the current state in one snapshot (REPEATABLE READ): documents with their texts and
 * metadata, chunk and sentence offsets (rows numbered in corpus order, as the local backend's),
 * and the vectors of the fixed reference sample that every question scores. Null before the first publish.
 */
export async function loadPostgresIndex(db: Database): Promise<PostgresState | null> {
  const vectorVersion = await db.vectorVersion();
  return transaction(
    db,
    async (client) => {
      const state = (await client.query('SELECT generation, settings FROM index_state')).rows[0] as {
        generation: string;
        settings: IndexSettings | null;
      };
      if (!state || state.generation === '0' || !state.settings) return null;
      const settings = state.settings;
      const models = [settings.model, ...settings.rerankModels];
      const { docRows, indexed, rows, chunkIds, sentenceRowOf, sentenceIds } = await readLayout(client);

      // BM25 as the publish stored it for this generation (else the Answerer builds it from the texts).
      const bm25 = await loadBm25(client, state.generation, { chunks: chunkIds.length, sentences: sentenceIds.length });
      const chunkTable = new VectorTable(db, 'chunks', models.map(vectorColumn), chunkIds);
      const sentenceTable = new VectorTable(db, 'sentences', models.map(vectorColumn), sentenceIds);
      // The reference sample is scored by every question (see fusion.ts): keep its vectors in memory.
      await chunkTable.pin(referenceRows(chunkIds.length), client);
      await sentenceTable.pin(referenceRows(sentenceIds.length), client);

      const primary = vectorColumn(settings.model);
      const filteredScan = vectorVersion !== null && compareVersions(vectorVersion, '0.8.0') >= 0;
      const ef = pgEfSearchFor(chunkIds.length);
      const view: IndexView = {
        generation: state.generation,
        documents: indexed,
        chunkRows: rows,
        sentenceRowOf,
        sentenceCount: sentenceIds.length,
        ...(bm25 ? { bm25 } : {}),
        async nearestChunks(vector, k, allowed) {
          if (chunkIds.length === 0) return [];
          const ids = allowed
            ? await nearestFiltered(db, primary, vector, k, ef, [...allowed], filteredScan)
            : await nearest(db, primary, vector, k, ef);
          return ids.map((id) => chunkTable.rowOf(id));
        },
        chunkVectors: (wanted) => chunkTable.vectors(wanted),
        sentenceVectors: (wanted) => sentenceTable.vectors(wanted),
      };
      return { generation: state.generation, settings, documents: docRows.map(loadedDocument), view };
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
}

function loadedDocument({ id, sha256, title, text, metadata }: DocumentRow): LoadedDocument {
  return {
    id,
    title,
    publisher: metadata.publisher,
    author: metadata.author,
    date: metadata.date,
    url: metadata.url,
    path: metadata.file,
    text,
    sha256,
    bodyStart: metadata.bodyStart ?? 0,
    sourceKey: metadata.sourceKey ?? null,
  };
}

/** The hnsw.ef_search each pooled session was last given (a session setting: set once per connection and table size, not per question). */
const sessionEf = new WeakMap<pg.PoolClient, number>();

async function nearest(db: Database, column: string, vector: Float32Array, k: number, ef: number): Promise<number[]> {
  return withClient(db, async (client) => {
    if (sessionEf.get(client) !== ef) {
      await client.query(`SET hnsw.ef_search = ${ef}`);
      sessionEf.set(client, ef);
    }
    const { rows } = await client.query(`SELECT id FROM chunks ORDER BY ${column} <=> $1::vector LIMIT $2`, [vectorParam(vector), k]);
    return rows.map((row) => row.id as number);
  });
}

/**
 * With a filter, an HNSW scan would return its ef_search nearest rows and only then drop the
 * filtered ones; pgvector ≥ 0.8's iterative scan keeps scanning until k rows pass (strict order).
 */
async function nearestFiltered(
  db: Database,
  column: string,
  vector: Float32Array,
  k: number,
  ef: number,
  allowed: string[],
  iterative: boolean,
): Promise<number[]> {
  return transaction(db, async (client) => {
    await client.query(`SET LOCAL hnsw.ef_search = ${ef}`);
    if (iterative) await client.query('SET LOCAL hnsw.iterative_scan = strict_order');
    const { rows } = await client.query(
      `SELECT id FROM chunks WHERE document_id = ANY($3::text[]) ORDER BY ${column} <=> $1::vector LIMIT $2`,
      [vectorParam(vector), k, allowed],
    );
    return rows.map((row) => row.id as number);
  });
}

/** Rows of a table by their row number in the current state; vectors are read in pgvector's binary form (exact float32). */
class VectorTable {
  private readonly rowById = new Map<number, number>();
  private readonly pinned = new Map<number, Float32Array[]>();

  constructor(
    private readonly db: Database,
    private readonly table: 'chunks' | 'sentences',
    private readonly columns: string[],
    private readonly ids: Int32Array,
  ) {
    ids.forEach((id, row) => this.rowById.set(id, row));
  }

  rowOf(id: number): number {
    const row = this.rowById.get(id);
    if (row === undefined) throw new IndexChangedError(`${this.table} row ${id} is not in the loaded state`);
    return row;
  }

  async pin(rows: number[], client: pg.PoolClient): Promise<void> {
    for (const [row, vectors] of await this.fetch(rows, client)) this.pinned.set(row, vectors);
  }

  async vectors(wanted: Iterable<number>): Promise<RowVectors> {
    const missing = [...new Set(wanted)].filter((row) => !this.pinned.has(row));
    const fetched = missing.length > 0 ? await this.fetch(missing) : new Map<number, Float32Array[]>();
    if (fetched.size < missing.length)
      throw new IndexChangedError(`${missing.length - fetched.size} ${this.table} rows were replaced since the state was loaded`);
    return {
      dot: (model, row, vector) => dotRow((fetched.get(row) ?? this.pinned.get(row)!)[model]!, 0, vector),
      vector: (model, row) => (fetched.get(row) ?? this.pinned.get(row)!)[model]!,
    };
  }

  private async fetch(rows: number[], client?: pg.PoolClient): Promise<Map<number, Float32Array[]>> {
    const out = new Map<number, Float32Array[]>();
    if (rows.length === 0) return out;
    // vector_send(): pgvector's binary form as bytea (exact float32, and no text parsing of 384 numbers per vector).
    const config: pg.QueryConfig = {
      text: `SELECT id, ${this.columns.map((column) => `vector_send(${column}) AS ${column}`).join(', ')} FROM ${this.table} WHERE id = ANY($1::int[])`,
      values: [rows.map((row) => this.ids[row]!)],
    };
    const result = client ? await client.query(config) : await query(this.db.pool, this.db.where, config);
    for (const record of result.rows) {
      out.set(
        this.rowOf(record.id as number),
        this.columns.map((column) => vectorFromBinary(record[column] as Buffer)),
      );
    }
    return out;
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
