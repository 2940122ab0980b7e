/**
 * Both backends side by side on one corpus (default seeds/): ingest from scratch (seconds), then
 * question latency inside a running process (p50/p95 over the seed questions, several rounds).
 * One JSON line per backend. Needs DATABASE_URL (a fresh schema is created and dropped).
 *   DATABASE_URL=$(scripts/db.sh url) npx tsx scripts/pg-bench.ts [--corpus DIR | --jsonl FILE --limit N] [--rounds N]
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Engine } from '../src/backend/types.js';
import { loadConfig } from '../src/config.js';
import { loadCorpus } from '../src/corpus/corpus.js';
import { loadEmbedders } from '../src/embedding/embedder.js';
import { openEngine } from '../src/engine/open.js';
import { openDatabase } from '../src/postgres/db.js';
import { ingestPostgres } from '../src/postgres/ingest.js';
import questions from '../test/fixtures/seed-questions.json' with { type: 'json' };

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'seeds' },
    jsonl: { type: 'string' },
    limit: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
  },
});
if (values.jsonl) values.corpus = corpusFromJsonl(values.jsonl, Number(values.limit));
const config = loadConfig({ ...process.env, MODELS_DIR: process.env.MODELS_DIR ?? '../shared/models' });
if (!config.DATABASE_URL) throw new Error('set DATABASE_URL (scripts/db.sh url)');
const base = { corpusDir: values.corpus, model: config.EMBEDDING_MODEL, rerankModels: config.RERANK_MODELS, modelsDir: config.MODELS_DIR };
const all = [...questions.answerable.map((q) => q.question), ...questions.offTopic];

async function latency(engine: Engine) {
  const timings: number[] = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const question of all) {
      await engine.refresh(); // as the bot does before every answer (the generation check, for Postgres)
      const t = performance.now();
      await engine.ask(question);
      timings.push(performance.now() - t);
    }
  }
  timings.sort((a, b) => a - b);
  const q = (p: number) => Number(timings[Math.floor(p * (timings.length - 1))]!.toFixed(1));
  return { questions: timings.length, ms_per_question_p50: q(0.5), ms_per_question_p95: q(0.95) };
}

// Local: ingest from scratch into a temporary folder while opening.
let localIngest = 0;
let chunks = 0;
const local = await openEngine(
  { ...base, indexDir: mkdtempSync(path.join(tmpdir(), 'pg-bench-')) },
  { onIngest: (s) => ((localIngest = s.seconds), (chunks = s.chunks)) },
);
console.log(
  JSON.stringify({
    backend: 'local',
    corpus: values.corpus,
    documents: local.documents().length,
    chunks,
    ingest_seconds: localIngest,
    ...(await latency(local)),
  }),
);
local.close();

// PostgreSQL: ingest from scratch into a fresh schema, then the engine reads it.
const schema = `bench_${Date.now().toString(36)}`;
const db = openDatabase({ databaseUrl: config.DATABASE_URL, databaseSchema: schema });
try {
  const embedders = await loadEmbedders(base);
  const summary = await ingestPostgres(loadCorpus(values.corpus), embedders, db);
  const started = performance.now();
  const engine = await openEngine({ ...base, indexDir: '', backend: 'postgres', databaseUrl: config.DATABASE_URL, databaseSchema: schema });
  const openSeconds = Number(((performance.now() - started) / 1000).toFixed(2));
  console.log(
    JSON.stringify({
      backend: 'postgres',
      corpus: values.corpus,
      documents: engine.documents().length,
      chunks: summary.chunks,
      ingest_seconds: summary.seconds,
      open_seconds: openSeconds,
      ...(await latency(engine)),
    }),
  );
  engine.close();
} finally {
  await db.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.close();
}

function corpusFromJsonl(file: string, limit: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-bench-corpus-'));
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(0, limit);
  lines.forEach((line, i) => {
    const { title, text } = JSON.parse(line) as { title: string; text: string };
    writeFileSync(path.join(dir, `article-${String(i).padStart(5, '0')}.txt`), `${title}\n\n${text}\n`);
  });
  return dir;
}
