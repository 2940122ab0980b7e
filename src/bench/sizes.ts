import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadCorpus } from '../corpus/corpus.js';
import { type Embedders, loadEmbedders, type TextEmbedder } from '../embedding/embedder.js';
import { openBackend } from '../engine/open.js';
import { readManifest } from '../index/manifest.js';
import { loadIndex } from '../index/store.js';
import type { ModelOptions } from './embedding-throughput.js';
import { sentencesOf } from './embedding-throughput.js';
import { folderBytes, quantile, recall, round1, round2, timed, topTen } from './measure.js';
import { newsQuestions, readNews, writeNewsCorpus } from './news-corpus.js';
import { SyntheticEmbedder } from './synthetic-embedder.js';

/** The checkout, and the bench's work folder in it (corpora, indexes, results kept for --reuse). */
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const WORK = path.join(ROOT, '.cache', 'bench');
/** Timed questions per size. */
export const QUESTIONS = 60;

export function corpusDir(n: number): string {
  return path.join(WORK, `corpus-${n}`);
}
export function indexDir(n: number): string {
  return path.join(WORK, `index-${n}`);
}

/** Real vectors of real news sentences, the material model-made vectors are mixed from. */
export async function vectorPool(datasets: string, embedder: TextEmbedder): Promise<Float32Array> {
  return embedder.embedPassages(sentencesOf(datasets, 1000));
}

async function syntheticEmbedders(datasets: string, real: Embedders): Promise<Embedders> {
  const make = async (e: TextEmbedder) => new SyntheticEmbedder(e, await vectorPool(datasets, e));
  return { primary: await make(real.primary), rerankers: await Promise.all(real.rerankers.map(make)) };
}

/** One size: write the corpus, ingest it from scratch, and report the ingest. */
export async function buildSize(n: number, realMax: number, datasets: string, models: ModelOptions, embedSecondsPer1000: number) {
  rmSync(corpusDir(n), { recursive: true, force: true });
  rmSync(indexDir(n), { recursive: true, force: true });
  const written = writeNewsCorpus(readNews(datasets), corpusDir(n), n);
  const real = await loadEmbedders({ ...models, reader: null });
  const measured = n <= realMax;
  const embedders = measured ? real : await syntheticEmbedders(datasets, real);
  const corpus = loadCorpus(corpusDir(n));
  let peakRss = 0;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 200);
  const started = performance.now();
  const backend = await openBackend({ corpusDir: corpusDir(n), indexDir: indexDir(n), ...models });
  const { summary } = await backend.ingest(corpus, embedders, {
    onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage.rss())),
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sample);
  const per1000 = (s: number) => Number(((s / summary.chunks) * 1000).toFixed(1));
  const estimated = measured ? null : per1000(seconds) + embedSecondsPer1000;
  return {
    n: summary.chunks,
    documents: summary.documents,
    sentences: summary.sentences,
    articles_repeated: written.repeated,
    embedding: measured ? 'measured' : 'model-made vectors; ingest adds the embedding time measured at the largest real size',
    ingest_s_per_1000_chunks: measured ? per1000(seconds) : Number.isFinite(estimated) ? Number(estimated!.toFixed(1)) : null,
    ...(measured ? { embed_s_per_1000_chunks: per1000(seconds) } : { ingest_without_embedding_s_per_1000_chunks: per1000(seconds) }),
    ingest_peak_rss_mb: Math.round(peakRss / 2 ** 20),
  };
}

/** One size: open the engine on the built index as the bot would, answer questions, and measure HNSW alone. */
export async function serveSize(n: number, datasets: string, models: ModelOptions) {
  // Vector rows are read from disk per question: first from a page cache without them (as after a
  // reboot, or on a host whose memory cannot hold the tables), then again with them in it.
  const dropped = dropFromPageCache(path.join(indexDir(n), readManifest(indexDir(n))!.generation));
  const started = performance.now();
  const engine = await (await openBackend({ corpusDir: corpusDir(n), indexDir: indexDir(n), ...models })).openEngine();
  const all = newsQuestions(readNews(datasets), QUESTIONS + 6);
  const [questions, warmUp] = [all.slice(0, QUESTIONS), all.slice(QUESTIONS)];
  await engine.ask(warmUp[0]!);
  const firstAnswerMs = performance.now() - started;
  for (const q of warmUp.slice(1)) await engine.ask(q); // compiled code warm, the timed questions' rows still on disk
  const pass = async () => {
    const timings: number[] = [];
    for (const q of questions) {
      const t = performance.now();
      await engine.ask(q);
      timings.push(performance.now() - t);
    }
    return timings;
  };
  const cold = await pass();
  const timings = await pass();
  const rss = process.memoryUsage.rss();
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
  const search = (q: Float32Array) => index.hnsw.searchKnn(Array.from(q), 10).neighbors;
  const exact = (q: Float32Array) => topTen(index.chunkVectors, q);
  const { p50: searchP50, results: approx } = timed(queries, search);
  const { p50: bruteP50, results: truth } = timed(queries, exact);
  engine.close();
  return {
    first_answer_ms: Math.round(firstAnswerMs),
    query_p50_ms: round1(quantile(timings, 0.5)),
    query_p95_ms: round1(quantile(timings, 0.95)),
    // The same questions the first time, their rows read from disk (null: the page cache could not be dropped here).
    query_rows_on_disk_p50_ms: dropped ? round1(quantile(cold, 0.5)) : null,
    query_rows_on_disk_p95_ms: dropped ? round1(quantile(cold, 0.95)) : null,
    freshness_check_p50_ms: round2(quantile(refreshes, 0.5)),
    search_p50_ms: round2(searchP50),
    bruteforce_p50_ms: round2(bruteP50),
    recall_at_10: recall(approx, truth),
    rss_mb: Math.round(rss / 2 ** 20),
    index_mb: Math.round(folderBytes(path.join(indexDir(n), index.manifest.generation)) / 2 ** 20),
  };
}

/** Drop a folder's files from the page cache (GNU dd's `nocache`; no root needed); false where that is not possible. */
function dropFromPageCache(dir: string): boolean {
  return readdirSync(dir).every(
    (name) => spawnSync('dd', [`if=${path.join(dir, name)}`, 'iflag=nocache', 'count=0', 'status=none']).status === 0,
  );
}

/** Process start to first answer of `npm run ask` on the largest index (the model load included). */
export function coldStart(n: number): number {
  const started = performance.now();
  execFileSync(
    process.execPath,
    [
      // What `npm run ask` runs: the compiled command (built first if dist/ is stale), without npm's own start.
      path.join(ROOT, 'scripts/run.mjs'),
      'ask',
      '--corpus',
      corpusDir(n),
      '--index',
      indexDir(n),
      'What happened to oil prices?',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return Math.round(performance.now() - started);
}
