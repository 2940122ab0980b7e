import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { Engine } from '../backend/types.js';
import { openBackend } from '../engine/open.js';
import { efSearchFor } from '../index/graph.js';
import { readManifest } from '../index/manifest.js';
import { loadIndex } from '../index/store.js';
import { noTimings } from '../search/stage-timings.js';
import type { ModelOptions } from './embedding-throughput.js';
import { folderBytes, passSummary, quantile, recall, round2, type TimedQuestion, timed, topTen } from './measure.js';
import { newsQuestions, readNews } from './news-corpus.js';
import { corpusDir, indexDir, QUESTIONS } from './sizes.js';

/** Each question once, timed with its stages. */
export async function askAll(engine: Engine, questions: string[]): Promise<TimedQuestion[]> {
  const timed: TimedQuestion[] = [];
  for (const question of questions) {
    const stages = noTimings();
    const started = performance.now();
    await engine.ask(question, { timings: stages });
    timed.push({ total: performance.now() - started, stages });
  }
  return timed;
}

/**
 * The serve step's questions on an engine just opened (`opened`: when the opening began): six to
 * warm up, the first of them timing the first answer, then two timed passes of the same questions.
 * `beforeTiming` runs between the warm-up and the passes.
 */
export async function timedPasses(engine: Engine, datasets: string, opened: number, beforeTiming: () => Promise<unknown> = async () => {}) {
  const all = newsQuestions(readNews(datasets), QUESTIONS + 6);
  const [questions, warmUp] = [all.slice(0, QUESTIONS), all.slice(QUESTIONS)];
  await engine.ask(warmUp[0]!);
  const firstAnswerMs = Math.round(performance.now() - opened);
  for (const q of warmUp.slice(1)) await engine.ask(q); // compiled code warm, the timed questions' rows still on disk
  await beforeTiming();
  const first = passSummary(await askAll(engine, questions));
  const second = passSummary(await askAll(engine, questions));
  return { questions, firstAnswerMs, first, second };
}

/** One size: open the engine on the built index as the bot would, answer questions, and measure HNSW alone. */
export async function serveSize(n: number, datasets: string, models: ModelOptions) {
  // Vector rows are read from disk per question: first from a page cache without them (as after a
  // reboot, or on a host whose memory cannot hold the tables), then again with them in it.
  const dropped = dropFromPageCache(path.join(indexDir(n), readManifest(indexDir(n))!.generation));
  const started = performance.now();
  const engine = await (await openBackend({ corpusDir: corpusDir(n), indexDir: indexDir(n), ...models })).openEngine();
  // The check of every corpus file that a start from the corpus cache schedules (a walk, a stat per
  // file): done before the timing, as a bot has done it a few seconds after its start.
  const { questions, firstAnswerMs, first: onDisk, second: inCache } = await timedPasses(engine, datasets, started, () => engine.refresh());
  const rss = process.memoryUsage.rss();
  const heapUsed = process.memoryUsage().heapUsed;
  // The check made before every question when nothing changed (constant in the corpus size).
  const refreshes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await engine.refresh();
    refreshes.push(performance.now() - t);
  }

  // The graph alone against an exact scan of the same vectors (the primary model's chunk vectors).
  const index = loadIndex(indexDir(n))!;
  const queries = await Promise.all(questions.map((q) => engine.embedders.primary.embedQuery(q)));
  const { p50: searchP50, results: approx } = timed(queries, (q) => index.hnsw.searchKnn(Array.from(q), 10).neighbors);
  const table = index.chunkVectors; // read from its file once (a getter that reads the whole table)
  const { p50: bruteP50, results: truth } = timed(queries, (q) => topTen(table, q));
  engine.close();
  return {
    first_answer_ms: firstAnswerMs,
    query_p50_ms: inCache.p50,
    query_p95_ms: inCache.p95,
    before_reader_p50_ms: inCache.before_reader_p50,
    before_reader_p95_ms: inCache.before_reader_p95,
    reader_p50_ms: inCache.stages_p50.reader,
    stages_p50_ms: inCache.stages_p50,
    // The same questions the first time, their rows read from disk (null: the page cache could not be dropped here).
    query_rows_on_disk_p50_ms: dropped ? onDisk.p50 : null,
    query_rows_on_disk_p95_ms: dropped ? onDisk.p95 : null,
    before_reader_rows_on_disk_p50_ms: dropped ? onDisk.before_reader_p50 : null,
    before_reader_rows_on_disk_p95_ms: dropped ? onDisk.before_reader_p95 : null,
    stages_rows_on_disk_p50_ms: dropped ? onDisk.stages_p50 : null,
    freshness_check_p50_ms: round2(quantile(refreshes, 0.5)),
    search_p50_ms: round2(searchP50),
    bruteforce_p50_ms: round2(bruteP50),
    recall_at_10: recall(approx, truth),
    ef_search: efSearchFor(index.hnsw.getCurrentCount()),
    rss_mb: Math.round(rss / 2 ** 20),
    heap_used_mb: Math.round(heapUsed / 2 ** 20),
    heap_limit_mb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
    index_mb: Math.round(folderBytes(path.join(indexDir(n), index.manifest.generation)) / 2 ** 20),
  };
}

/** Drop a folder's files from the page cache (GNU dd's `nocache`; no root needed); false where that is not possible. */
function dropFromPageCache(dir: string): boolean {
  return readdirSync(dir).every(
    (name) => spawnSync('dd', [`if=${path.join(dir, name)}`, 'iflag=nocache', 'count=0', 'status=none']).status === 0,
  );
}
