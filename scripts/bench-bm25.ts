/**
 * BM25's top 100 over chunks alone, at a million chunks: the exhaustive way (every passage sharing
 * a word with the question scored into a dense table, then the best 100) against the block-max
 * WAND top k (`Bm25Index.search`), plus the scores the first stage then asks for (`scoreRows` of
 * the top, 100 other rows standing for the dense candidates, and the reference sample). Both run
 * on each question in turn (which goes first alternates), in two passes (the first computes each
 * term's block bounds when first asked), and their results must be identical, with and without a
 * filter. Wall and CPU time per call; one JSON object on stdout, progress on stderr.
 *
 * Chunks are real text: BBC News, Reuters-21578, AG News and SQuAD train contexts, chunked as an
 * ingest chunks them (83,132 chunks). Beyond that they repeat, and copy r drops every tenth word
 * from word r on, so that copies differ in length and counts. Questions: the SQuAD dev half.
 *   nice -n 19 flock /tmp/cpu.lock npx tsx scripts/bench-bm25.ts [--chunks 1000000] [--questions 300] [--cache FILE]
 * `--cache FILE` keeps the built index there (250 MB at a million chunks; building it takes minutes).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cpuInfo } from '../src/bench/cpu.js';
import { quantile } from '../src/bench/measure.js';
import { readNews } from '../src/bench/news-corpus.js';
import { Bm25Builder, Bm25Index, type ScoredPassage } from '../src/index/bm25.js';
import { referenceRows } from '../src/index/reference-moments.js';
import { CANDIDATES_PER_RETRIEVER } from '../src/search/fusion.js';
import { chunkSentences, chunkWithTitle, DEFAULT_CHUNKER } from '../src/text/chunker.js';
import { quotableSentences } from '../src/text/prose.js';

const { values } = parseArgs({
  options: {
    chunks: { type: 'string', default: '1000000' },
    questions: { type: 'string', default: '300' },
    datasets: { type: 'string', default: '../shared/datasets' },
    cache: { type: 'string' },
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

interface BuiltIndex {
  index: Bm25Index;
  realChunks: number;
  copies: number;
  buildSeconds: number;
}

function buildIndex(): BuiltIndex {
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
  return { index: builder.finish(), realChunks: base.length, copies: round - 1, buildSeconds: (performance.now() - started) / 1000 };
}

/** The index saved in `--cache FILE` when it has the size asked for (otherwise built, and saved there): building takes minutes. */
function cachedIndex(file: string | undefined): BuiltIndex {
  if (file && existsSync(file)) {
    const { header, ...built } = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Omit<BuiltIndex, 'index'> & { header: string };
    const index = Bm25Index.fromBytes(header, new Uint8Array(readFileSync(file)));
    if (index.size === wanted) return { index, ...built };
  }
  const built = buildIndex();
  if (file) {
    const { header, data } = built.index.toBytes();
    writeFileSync(file, data);
    writeFileSync(
      `${file}.json`,
      JSON.stringify({ header, realChunks: built.realChunks, copies: built.copies, buildSeconds: built.buildSeconds }),
    );
  }
  return built;
}

/** Every n-th question of the SQuAD dev half, `count` in all. */
function questions(count: number): string[] {
  const all = squad('squad-v1.1-dev-half/dev-half.json').data.flatMap((a) => a.paragraphs.flatMap((p) => p.qas.map((q) => q.question)));
  const step = Math.max(1, Math.floor(all.length / count));
  return all.filter((_, i) => i % step === 0).slice(0, count);
}

interface Times {
  wall: number;
  cpu: number;
}

/** Wall time and this process's CPU time of `work`, in ms: on a machine busy with other jobs, the CPU time is the steadier. */
function time<T>(work: () => T): { ms: Times; result: T } {
  const [wall, cpu] = [performance.now(), process.cpuUsage()];
  const result = work();
  const { user, system } = process.cpuUsage(cpu);
  return { ms: { wall: performance.now() - wall, cpu: (user + system) / 1000 }, result };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const percentiles = (ms: number[]) => ({ p50: round3(quantile(ms, 0.5)), p95: round3(quantile(ms, 0.95)) });
const summary = (times: Times[]) => ({ wall: percentiles(times.map((t) => t.wall)), cpu: percentiles(times.map((t) => t.cpu)) });
const same = (a: ScoredPassage[], b: ScoredPassage[]) =>
  a.length === b.length && a.every((hit, i) => hit.index === b[i]!.index && hit.score === b[i]!.score);

const built = cachedIndex(values.cache);
const { index } = built;
log(`index of ${index.size} chunks (built in ${built.buildSeconds.toFixed(1)} s)`);
const reference = referenceRows(index.size);
const asked = questions(Number(values.questions));
const k = CANDIDATES_PER_RETRIEVER;

/** Each question through both ways, interleaved (which goes first alternates): their times, and how many results differ. */
function pass() {
  const times = { exhaustive: [] as Times[], blockMax: [] as Times[], scoreRows: [] as Times[], blockMaxWithRows: [] as Times[] };
  let differ = 0;
  let differFiltered = 0;
  asked.forEach((q, i) => {
    const exhaustive = () => {
      const { ms, result } = time(() => index.searchExhaustive(q, k));
      times.exhaustive.push(ms);
      return result;
    };
    const blockMax = () => {
      const { ms, result } = time(() => index.search(q, k));
      // Rows standing for the dense candidates: 100 spread over the index, different per question.
      const others = Array.from({ length: k }, (_, j) => (j * 9973 + i * 7919) % index.size);
      const rows = time(() => index.scoreRows(q, [...others, ...result.map((hit) => hit.index), ...reference]));
      times.blockMax.push(ms);
      times.scoreRows.push(rows.ms);
      times.blockMaxWithRows.push({ wall: ms.wall + rows.ms.wall, cpu: ms.cpu + rows.ms.cpu });
      return result;
    };
    const results = i % 2 === 0 ? [exhaustive(), blockMax()] : [blockMax(), exhaustive()];
    if (!same(results[0]!, results[1]!)) differ++;
    const filter = (row: number) => row % 3 !== 1;
    if (!same(index.search(q, k, filter), index.searchExhaustive(q, k, filter))) differFiltered++;
  });
  return {
    exhaustive_ms: summary(times.exhaustive),
    block_max_ms: summary(times.blockMax),
    score_rows_ms: summary(times.scoreRows),
    block_max_with_rows_ms: summary(times.blockMaxWithRows),
    differ,
    differ_filtered: differFiltered,
  };
}

// The first pass computes each long term's block bounds the first time a question asks it; the
// second finds them kept, as a running bot mostly does. A few questions first warm up the JIT.
for (const q of asked.slice(0, 10)) [index.searchExhaustive(q, k), index.search(q, k)];
const first = pass();
const second = pass();

const cpu = cpuInfo();
console.log(
  JSON.stringify({
    what: 'BM25 top 100 over chunks alone: exhaustive against block-max WAND, interleaved per question',
    date: new Date().toISOString(),
    cpu: { model: cpu.model, cores: cpu.cores, mhz: cpu.mhz, extensions: cpu.extensions },
    chunks: index.size,
    real_chunks: built.realChunks,
    copies: built.copies,
    build_s: round3(built.buildSeconds),
    questions: asked.length,
    k,
    reference_rows: reference.length,
    first_pass: first,
    second_pass: second,
  }),
);
