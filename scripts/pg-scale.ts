/**
 * The PostgreSQL backend at a bench size: the bench's local index of that size (`npm run bench`
 * builds it under .cache/bench) is published into a schema of its own (its vectors, no second
 * embedding), then answered as the bench's serve step answers the local one. Prints one JSON line:
 * publish time, table and HNSW sizes, process start to first answer, question p50 / p95 (whole and
 * before the reader, with stage p50s), pgvector's recall@10 against an exact scan, and RSS.
 *   DATABASE_URL=$(scripts/db.sh url) npx tsx scripts/pg-scale.ts --size 100000 [--republish] [--keep]
 * The schema (bench_<size>) is kept for the next run unless --republish; --keep keeps it at the end
 * (the default drops it: a million chunks hold about 25 GB).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { quantile, recall, round2, timed, topTen } from '../src/bench/measure.js';
import { timedPasses } from '../src/bench/serve.js';
import { corpusDir, indexDir, ROOT } from '../src/bench/sizes.js';
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/corpus/corpus.js';
import { openEngine } from '../src/engine/open.js';
import { loadIndex } from '../src/index/store.js';
import { modelOptions } from '../src/options.js';
import { HNSW_EF_SEARCH, openDatabase, pgEfSearchFor, query } from '../src/postgres/db.js';
import { publishStoredIndex } from '../src/postgres/ingest.js';
import { currentGeneration } from '../src/postgres/reader.js';
import { hnswIndexName, vectorColumn } from '../src/postgres/schema.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string' },
    datasets: { type: 'string', default: path.resolve(ROOT, '../shared/datasets') },
    republish: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const n = Number(values.size);
if (!Number.isInteger(n) || n <= 0) throw new Error('--size N: a size the bench has built (.cache/bench/index-N)');
const config = loadConfig({ ...process.env, MODELS_DIR: process.env.MODELS_DIR ?? '../shared/models' });
if (!config.DATABASE_URL) throw new Error('set DATABASE_URL (scripts/db.sh url)');
const schema = `bench_${n}`;
const db = openDatabase({ databaseUrl: config.DATABASE_URL, databaseSchema: schema });
/** pgvector's ef_search values tried (it allows up to 1,000); the engine uses pgEfSearchFor(rows). */
const EF_SEARCH = [HNSW_EF_SEARCH, 400, 600, 800, 1000];
const log = (message: string) => process.stderr.write(`pg-scale: ${message}\n`);

if (values.republish) await db.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
let publishS: number | null = null;
const published = await currentGeneration(db).catch(() => null);
if (published === null || published === '0') {
  log(`publishing the ${n}-chunk index into schema ${schema}`);
  const index = loadIndex(indexDir(n));
  if (!index) throw new Error(`no index at ${indexDir(n)}: run the bench at this size first`);
  const corpus = loadCorpus(corpusDir(n));
  const started = performance.now();
  await publishStoredIndex(db, index, corpus);
  publishS = Math.round((performance.now() - started) / 1000);
  log(`published in ${publishS} s`);
}

const model = config.EMBEDDING_MODEL;
const relationMb = async (name: string) =>
  Math.round(Number((await query(db.pool, db.where, `SELECT pg_total_relation_size($1) AS b`, [`${schema}.${name}`])).rows[0].b) / 2 ** 20);
const sizes = {
  documents_mb: await relationMb('documents'),
  chunks_mb: await relationMb('chunks'),
  sentences_mb: await relationMb('sentences'),
  hnsw_mb: await relationMb(hnswIndexName(model)),
};

// Process start to first answer, as `npm run ask` runs against the database (models, the documents table, the first question).
// Node's default heap, as a user runs it (this script may run with a larger one: NODE_OPTIONS is not passed on).
const { NODE_OPTIONS: _heap, ...inherited } = process.env;
const env = { ...inherited, INDEX_BACKEND: 'postgres', DATABASE_SCHEMA: schema };
const coldStarted = performance.now();
const cold = spawnSync(process.execPath, [path.join(ROOT, 'scripts/run.mjs'), 'ask', 'What happened to oil prices?'], {
  cwd: ROOT,
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const coldStartMs = cold.status === 0 ? Math.round(performance.now() - coldStarted) : null;

// Answering inside one process, as the bench's serve step does for the local index.
const models = modelOptions(config);
const opened = performance.now();
const engine = await openEngine({
  ...models,
  corpusDir: corpusDir(n),
  indexDir: '',
  backend: 'postgres',
  databaseUrl: config.DATABASE_URL,
  databaseSchema: schema,
});
const { questions, firstAnswerMs, first, second: pass } = await timedPasses(engine, values.datasets, opened);
const rss = process.memoryUsage.rss();
const queries = await Promise.all(questions.map((q) => engine.embedders.primary.embedQuery(q)));
engine.close();

// pgvector's HNSW against an exact scan of the same vectors (the local table), by chunk: (document, ord).
const index = loadIndex(indexDir(n))!;
const table = index.chunkVectors;
const truth = queries.map((q) => topTen(table, q));
const engineEf = pgEfSearchFor(index.chunkRows.length);
const sweep: Array<{ ef_search: number; recall_at_10: number; search_p50_ms: number }> = [];
const client = await db.pool.connect();
try {
  await client.query(`SET search_path = ${schema}, public`);
  for (const ef of [...new Set([...EF_SEARCH, engineEf])].sort((a, b) => a - b)) {
    await client.query(`SET hnsw.ef_search = ${ef}`);
    const approx: number[][] = [];
    const searchMs: number[] = [];
    for (const q of queries) {
      const t = performance.now();
      const { rows } = await client.query(`SELECT document_id, ord FROM chunks ORDER BY ${vectorColumn(model)} <=> $1::vector LIMIT 10`, [
        `[${Array.from(q).join(',')}]`,
      ]);
      searchMs.push(performance.now() - t);
      approx.push(rows.map((row) => index.chunkRowOf.get(row.document_id as string)! + (row.ord as number)));
    }
    sweep.push({ ef_search: ef, recall_at_10: recall(approx, truth), search_p50_ms: round2(quantile(searchMs, 0.5)) });
  }
} finally {
  client.release();
}
const { p50: bruteP50 } = timed(queries.slice(0, 10), (q) => topTen(table, q));

if (!values.keep) await db.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
await db.close();
console.log(
  JSON.stringify({
    backend: 'postgres',
    n: index.chunkRows.length,
    documents: index.documents.size,
    publish_s: publishS,
    ...sizes,
    cold_start_ms: coldStartMs,
    first_answer_ms: firstAnswerMs,
    query_p50_ms: pass.p50,
    query_p95_ms: pass.p95,
    before_reader_p50_ms: pass.before_reader_p50,
    before_reader_p95_ms: pass.before_reader_p95,
    stages_p50_ms: pass.stages_p50,
    first_pass_before_reader_p50_ms: first.before_reader_p50,
    // At the engine's own setting for this size (pgEfSearchFor).
    ef_search: engineEf,
    search_p50_ms: sweep.find((s) => s.ef_search === engineEf)?.search_p50_ms ?? null,
    recall_at_10: sweep.find((s) => s.ef_search === engineEf)?.recall_at_10 ?? null,
    ef_sweep: sweep,
    bruteforce_p50_ms: round2(bruteP50),
    rss_mb: Math.round(rss / 2 ** 20),
  }),
);
