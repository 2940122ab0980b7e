import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { loadCorpus } from '../corpus/corpus.js';
import { type Embedders, loadEmbedders, type TextEmbedder } from '../embedding/embedder.js';
import { openBackend } from '../engine/open.js';
import type { ModelOptions } from './embedding-throughput.js';
import { sentencesOf } from './embedding-throughput.js';
import { readNews, writeNewsCorpus } from './news-corpus.js';
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
    // The graph is built while the generation is written, one thread: its share of the ingest, timed inside the writer.
    ...(summary.graphSeconds === undefined ? {} : { hnsw_build_s: summary.graphSeconds }),
  };
}

/**
 * Process start to first answer of `npm run ask` on a size's index (the model load included), run
 * as a user would (Node's default heap); null, with the reason on stderr, when it fails.
 */
export function coldStart(n: number): number | null {
  const started = performance.now();
  const run = spawnSync(
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
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (run.status === 0) return Math.round(performance.now() - started);
  process.stderr.write(`bench: cold start at ${n} chunks failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`})\n`);
  return null;
}
