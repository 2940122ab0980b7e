/**
 * Speed of the default configuration on a corpus (default: seeds/), printed as one JSON line:
 * ingest from scratch (seconds, and seconds per 1,000 chunks) and question latency inside a
 * running process (p50/p95 over the seed questions, several rounds), plus peak RSS.
 *   npx tsx scripts/bench.ts [--corpus DIR | --jsonl FILE --limit N] [--rounds N]
 * --jsonl writes the first N articles of a {title, text} JSONL file (e.g. ../shared/datasets/bbc-news)
 * as .txt files into a temporary corpus folder, to measure ingest at a realistic size.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openEngine } from '../src/search/engine.js';
import questions from '../test/fixtures/seed-questions.json' with { type: 'json' };

const { values } = parseArgs({
  options: { corpus: { type: 'string', default: 'seeds' }, jsonl: { type: 'string' }, limit: { type: 'string', default: '200' }, rounds: { type: 'string', default: '5' } },
});
if (values.jsonl) values.corpus = corpusFromJsonl(values.jsonl, Number(values.limit));
const config = loadConfig({ ...process.env, MODELS_DIR: process.env.MODELS_DIR ?? '../shared/models' });
let ingestSeconds = 0;
let chunks = 0;
const started = performance.now();
const engine = await openEngine(
  {
    corpusDir: values.corpus,
    indexDir: mkdtempSync(path.join(tmpdir(), 'bench-')),
    model: config.EMBEDDING_MODEL,
    rerankModels: config.RERANK_MODELS,
    modelsDir: config.MODELS_DIR,
  },
  { onIngest: (summary) => ((ingestSeconds = summary.seconds), (chunks = summary.chunks)) },
);
const openSeconds = (performance.now() - started) / 1000;

const all = [...questions.answerable.map((q) => q.question), ...questions.offTopic];
const timings: number[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  for (const question of all) {
    const t = performance.now();
    await engine.ask(question);
    timings.push(performance.now() - t);
  }
}
timings.sort((a, b) => a - b);
const quantile = (q: number) => Number(timings[Math.floor(q * (timings.length - 1))]!.toFixed(1));
console.log(
  JSON.stringify({
    corpus: values.corpus,
    model: config.EMBEDDING_MODEL,
    rerankModels: config.RERANK_MODELS,
    documents: engine.documents().length,
    chunks,
    ingest_seconds: ingestSeconds,
    ingest_seconds_per_1000_chunks: chunks ? Number(((ingestSeconds / chunks) * 1000).toFixed(1)) : null,
    open_seconds_including_ingest: Number(openSeconds.toFixed(2)),
    questions: timings.length,
    ms_per_question_p50: quantile(0.5),
    ms_per_question_p95: quantile(0.95),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
engine.close();

function corpusFromJsonl(file: string, limit: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-corpus-'));
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(0, limit);
  lines.forEach((line, i) => {
    const { title, text } = JSON.parse(line) as { title: string; text: string };
    writeFileSync(path.join(dir, `article-${String(i).padStart(5, '0')}.txt`), `${title}\n\n${text}\n`);
  });
  return dir;
}
