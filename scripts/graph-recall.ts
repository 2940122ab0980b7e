/**
 * Recall@10 of a built index's HNSW graph against an exact scan of the same vectors, for several
 * efSearch values, on the bench's news questions (the primary model's question vectors). What chose
 * `efSearchFor` in src/index/graph.ts. One JSON object on stdout.
 *   npx tsx scripts/graph-recall.ts INDEX_DIR [--questions 300] [--ef 600,800,1000,1200] [--models ../shared/models] [--datasets ../shared/datasets]
 * INDEX_DIR: a built index, e.g. .cache/bench/index-1000000 (`npm run bench` builds them).
 */
import { parseArgs } from 'node:util';
import { cpuInfo } from '../src/bench/cpu.js';
import { efSweep, timed, topTen } from '../src/bench/measure.js';
import { newsQuestions, readNews } from '../src/bench/news-corpus.js';
import { loadEmbedders } from '../src/embedding/embedder.js';
import { efSearchFor } from '../src/index/graph.js';
import { loadIndex } from '../src/index/store.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    questions: { type: 'string', default: '300' },
    ef: { type: 'string', default: '600,800,1000,1200' },
    models: { type: 'string', default: '../shared/models' },
    datasets: { type: 'string', default: '../shared/datasets' },
  },
});
const dir = positionals[0];
if (!dir) throw new Error('usage: npx tsx scripts/graph-recall.ts INDEX_DIR [--questions N] [--ef A,B,...]');
const index = loadIndex(dir);
if (!index) throw new Error(`no index in ${dir}`);
const model = index.manifest.settings.model;
const embedders = await loadEmbedders({ model, rerankModels: [], reader: null, modelsDir: values.models });
const questions = newsQuestions(readNews(values.datasets), Number(values.questions));
const queries: Float32Array[] = [];
for (const question of questions) queries.push(await embedders.primary.embedQuery(question));
const { p50: exactP50, results: truth } = timed(queries, (q) => topTen(index.chunkVectors, q));
const rows = index.hnsw.getCurrentCount();
const efs = values.ef.split(',').map(Number);
timed(queries.slice(0, 20), (q) => index.hnsw.searchKnn(Array.from(q), 10)); // warm
const ef = efSweep(index.hnsw, queries, truth, efs);
const { model: cpu, extensions } = cpuInfo();
console.log(
  JSON.stringify({
    cpu,
    extensions,
    rows,
    questions: questions.length,
    exact_p50_ms: Number(exactP50.toFixed(1)),
    ef_search_used: efSearchFor(rows),
    ef,
  }),
);
process.exit(0);
