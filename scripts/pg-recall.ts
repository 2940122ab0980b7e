/**
 * Chooses hnsw.ef_search: recall of pgvector's HNSW index against exact search (a sequential scan)
 * over the primary model's chunk vectors of an index in PostgreSQL, for real questions. One JSON
 * line per ef_search: recall@10 and recall@100 (the first stage asks for 100), ms per query.
 *   DATABASE_URL=… DATABASE_SCHEMA=… npx tsx scripts/pg-recall.ts --queries ../shared/datasets/scifact/queries.jsonl [--limit 300] [--ef 40,100,200,400]
 * (`npm run eval -- --beir ../shared/datasets/scifact --mode bot --backend postgres` fills the schema with SciFact's chunks.)
 * Or, without an index: `--vectors FILE.f32` (rows of 384 float32, e.g. the passage vectors `npm run eval` caches in
 * .cache/eval/) are loaded into a scratch table with the same HNSW parameters, and the last `--holdout` rows are the queries.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { Embedder } from '../src/embedding/embedder.js';
import { openDatabase, vectorParam } from '../src/postgres/db.js';
import { PG_HNSW, vectorColumn } from '../src/postgres/schema.js';

const { values } = parseArgs({
  options: {
    queries: { type: 'string' },
    vectors: { type: 'string' },
    holdout: { type: 'string', default: '300' },
    limit: { type: 'string', default: '300' },
    ef: { type: 'string', default: '40,64,100,200,400' },
  },
});
const config = loadConfig({ ...process.env, MODELS_DIR: process.env.MODELS_DIR ?? '../shared/models' });
if (!config.DATABASE_URL || !(values.queries || values.vectors))
  throw new Error('set DATABASE_URL and give --queries FILE.jsonl ({"text": …} per line) or --vectors FILE.f32');
const db = openDatabase({
  databaseUrl: config.DATABASE_URL,
  databaseSchema: values.vectors ? `recall_${Date.now().toString(36)}` : config.DATABASE_SCHEMA,
});
let column: string;
const vectors: string[] = [];
if (values.vectors) {
  // A scratch table of the file's rows but the held-out ones, indexed like the chunks (schema.ts).
  const bytes = readFileSync(values.vectors);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const rows = all.length / 384;
  const held = Number(values.holdout);
  column = 'v';
  await db.pool.query(`CREATE SCHEMA ${db.schema}`);
  await db.pool.query(`CREATE TABLE ${db.schema}.chunks (id integer PRIMARY KEY, v vector(384))`);
  for (let from = 0; from < rows - held; from += 500) {
    const ids = Array.from({ length: Math.min(500, rows - held - from) }, (_, i) => from + i);
    await db.pool.query(`INSERT INTO ${db.schema}.chunks SELECT * FROM unnest($1::int[], $2::vector[])`, [
      ids,
      ids.map((id) => vectorParam(all.subarray(id * 384, (id + 1) * 384))),
    ]);
  }
  await db.pool.query(`SET maintenance_work_mem = '512MB'`);
  await db.pool.query(
    `CREATE INDEX ON ${db.schema}.chunks USING hnsw (v vector_cosine_ops) WITH (m = ${PG_HNSW.m}, ef_construction = ${PG_HNSW.efConstruction})`,
  );
  for (let id = rows - held; id < rows; id++) vectors.push(vectorParam(all.subarray(id * 384, (id + 1) * 384)));
} else {
  const settings = (await db.pool.query('SELECT settings FROM index_state')).rows[0].settings as { model: string };
  column = vectorColumn(settings.model);
  const embedder = await Embedder.load({ model: settings.model, modelsDir: config.MODELS_DIR });
  const texts = readFileSync(values.queries!, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, Number(values.limit))
    .map((line) => (JSON.parse(line) as { text: string }).text);
  for (const text of texts) vectors.push(vectorParam(await embedder.embedQuery(text)));
}
const chunkCount = Number((await db.pool.query('SELECT count(*) FROM chunks')).rows[0].count);

const client = await db.pool.connect();
const search = async (vector: string, k: number) =>
  (await client.query(`SELECT id FROM chunks ORDER BY ${column} <=> $1::vector LIMIT $2`, [vector, k])).rows.map((r) => r.id as number);

// Exact: no index scan, so PostgreSQL compares the query with every row.
await client.query('BEGIN');
await client.query('SET LOCAL enable_indexscan = off');
const exact: number[][] = [];
for (const vector of vectors) exact.push(await search(vector, 100));
await client.query('COMMIT');

for (const ef of values.ef.split(',').map(Number)) {
  await client.query(`SET hnsw.ef_search = ${ef}`);
  let at10 = 0;
  let at100 = 0;
  const started = performance.now();
  for (let i = 0; i < vectors.length; i++) {
    const found = await search(vectors[i]!, 100);
    const truth10 = new Set(exact[i]!.slice(0, 10));
    const truth100 = new Set(exact[i]!);
    at10 += found.slice(0, 10).filter((id) => truth10.has(id)).length / truth10.size;
    at100 += found.filter((id) => truth100.has(id)).length / truth100.size;
  }
  const ms = (performance.now() - started) / vectors.length;
  console.log(
    JSON.stringify({
      chunks: chunkCount,
      queries: vectors.length,
      ef_search: ef,
      'recall@10': Number((at10 / vectors.length).toFixed(4)),
      'recall@100': Number((at100 / vectors.length).toFixed(4)),
      ms_per_query: Number(ms.toFixed(2)),
    }),
  );
}
client.release();
if (values.vectors) await db.pool.query(`DROP SCHEMA ${db.schema} CASCADE`);
await db.close();
