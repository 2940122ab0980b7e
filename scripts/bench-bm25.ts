/**
 * BM25's top 100 over chunks alone, at a million chunks: the exhaustive way (every passage sharing
 * a word with the question scored into a dense table, then the best 100) against the MaxScore top k
 * (`Bm25Index.search`), plus the scores the first stage then asks for (`scoreRows` of the top,
 * 100 other rows standing for the dense candidates, and the reference sample). Both run on each
 * question in turn (which goes first alternates), and their results must be identical. One JSON
 * object on stdout; progress on stderr.
 *
 * Chunks are real text: BBC News, Reuters-21578, AG News and SQuAD train contexts, chunked as an
 * ingest chunks them. Beyond what they hold (83,132 chunks), they repeat, and copy r drops
 * every tenth word from word r on, so that copies differ in length and counts.
 *   nice -n 19 flock /tmp/cpu.lock npx tsx scripts/bench-bm25.ts [--chunks 1000000] [--questions 300]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cpuInfo } from '../src/bench/cpu.js';
import { quantile } from '../src/bench/measure.js';
import { readNews } from '../src/bench/news-corpus.js';
import { Bm25Builder, type Bm25Index, type ScoredPassage } from '../src/index/bm25.js';
import { referenceRows } from '../src/index/reference-moments.js';
import { CANDIDATES_PER_RETRIEVER } from '../src/search/fusion.js';
import { chunkSentences, chunkWithTitle, DEFAULT_CHUNKER } from '../src/text/chunker.js';
import { quotableSentences } from '../src/text/prose.js';

const { values } = parseArgs({
  options: {
    chunks: { type: 'string', default: '1000000' },
    questions: { type: 'string', default: '300' },
    datasets: { type: 'string', default: '../shared/datasets' },
  },
});
const wanted = Number(values.chunks);
const log = (line: string) => process.stderr.write(`${line}\n`);

interface SquadFile {
  data: Array<{ title: string; paragraphs: Array<{ context: string; qas: Array<{ question: string }> }> }>;
}
const squad = (file: string) => JSON.parse(readFileSync(path.join(values.datasets, file), 'utf8')) as SquadFile;

/** Every chunk of the news sets and the SQuAD train contexts, as the index stores it (under its title). */
function realChunks(): string[] {
  const articles = readNews(values.datasets);
  for (const { title, paragraphs } of squad('squad-v1.1-train/train-v1.1.json').data) {
    for (const { context } of paragraphs) articles.push({ title: title.replaceAll('_', ' '), text: context });
  }
  const chunks: string[] = [];
  for (const { title, text: body } of articles) {
    const text = `${title}\n\n${body}\n`;
    for (const { start, end } of chunkSentences(quotableSentences({ text, title }), DEFAULT_CHUNKER)) {
      chunks.push(chunkWithTitle(title, text.slice(start, end)));
    }
  }
  return chunks;
}

/** Copy `round` (1 = the text itself) of a chunk: from the second on, every tenth word dropped, starting at word `round`. */
function variant(chunk: string, round: number): string {
  if (round === 1) return chunk;
  return chunk
    .split(' ')
    .filter((_, i) => (i + round) % 10 !== 0)
    .join(' ');
}

function buildIndex(): { index: Bm25Index; base: number; rounds: number; seconds: number } {
  const started = performance.now();
  const base = realChunks();
  const builder = new Bm25Builder();
  let added = 0;
  let round = 1;
  for (; added < wanted; round++) {
    for (const chunk of base) {
      if (added++ >= wanted) break;
      builder.add(variant(chunk, round));
    }
    log(`${Math.min(added, wanted)} chunks tokenised`);
  }
  return { index: builder.finish(), base: base.length, rounds: round - 1, seconds: (performance.now() - started) / 1000 };
}

/** Every n-th question of the SQuAD dev half, `count` in all. */
function questions(count: number): string[] {
  const all = squad('squad-v1.1-dev-half/dev-half.json').data.flatMap((a) => a.paragraphs.flatMap((p) => p.qas.map((q) => q.question)));
  const step = Math.max(1, Math.floor(all.length / count));
  return all.filter((_, i) => i % step === 0).slice(0, count);
}

function time<T>(work: () => T): { ms: number; result: T } {
  const started = performance.now();
  const result = work();
  return { ms: performance.now() - started, result };
}

const same = (a: ScoredPassage[], b: ScoredPassage[]) =>
  a.length === b.length && a.every((hit, i) => hit.index === b[i]!.index && hit.score === b[i]!.score);
const summary = (ms: number[]) => ({
  p50: round3(quantile(ms, 0.5)),
  p95: round3(quantile(ms, 0.95)),
  mean: round3(ms.reduce((s, x) => s + x, 0) / ms.length),
});
const round3 = (x: number) => Math.round(x * 1000) / 1000;

const built = buildIndex();
const { index } = built;
log(`index of ${index.size} chunks built in ${built.seconds.toFixed(1)} s`);
const reference = referenceRows(index.size);
const asked = questions(Number(values.questions));
const k = CANDIDATES_PER_RETRIEVER;

/** Each question through both ways, interleaved (which goes first alternates); their times, and how many results differ. */
function pass() {
  const times = { exhaustive: [] as number[], maxScore: [] as number[], scoreRows: [] as number[], maxScoreWithRows: [] as number[] };
  let differ = 0;
  let differFiltered = 0;
  asked.forEach((q, i) => {
    const exhaustive = () => {
      const { ms, result } = time(() => index.searchExhaustive(q, k));
      times.exhaustive.push(ms);
      return result;
    };
    const maxScore = () => {
      const { ms, result } = time(() => index.search(q, k));
      // Rows standing for the dense candidates: 100 spread over the index, different per question.
      const others = Array.from({ length: k }, (_, j) => (j * 9973 + i * 7919) % index.size);
      const rows = time(() => index.scoreRows(q, [...others, ...result.map((hit) => hit.index), ...reference]));
      times.maxScore.push(ms);
      times.scoreRows.push(rows.ms);
      times.maxScoreWithRows.push(ms + rows.ms);
      return result;
    };
    let results: ScoredPassage[][];
    if (i % 2 === 0) results = [exhaustive(), maxScore()];
    else results = [maxScore(), exhaustive()];
    if (!same(results[0]!, results[1]!)) differ++;
    const filter = (row: number) => row % 3 !== 1;
    if (!same(index.search(q, k, filter), index.searchExhaustive(q, k, filter))) differFiltered++;
  });
  return {
    exhaustive_ms: summary(times.exhaustive),
    maxscore_ms: summary(times.maxScore),
    score_rows_ms: summary(times.scoreRows),
    maxscore_with_rows_ms: summary(times.maxScoreWithRows),
    differ,
    differ_filtered: differFiltered,
  };
}

// The first pass computes each long term's bound the first time a question asks it; the second
// finds them cached, as a running bot mostly does. Both start warm (the JIT) from a few questions.
for (const q of asked.slice(0, 10)) [index.searchExhaustive(q, k), index.search(q, k)];
const first = pass();
const second = pass();

const cpu = cpuInfo();
console.log(
  JSON.stringify({
    what: 'BM25 top 100 over chunks alone: exhaustive against MaxScore, interleaved per question',
    date: new Date().toISOString(),
    cpu: { model: cpu.model, cores: cpu.cores, mhz: cpu.mhz, extensions: cpu.extensions },
    chunks: index.size,
    real_chunks: built.base,
    copies: built.rounds,
    build_s: round3(built.seconds),
    questions: asked.length,
    k,
    reference_rows: reference.length,
    first_pass: first,
    second_pass: second,
  }),
);
