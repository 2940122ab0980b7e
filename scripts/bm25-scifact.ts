/**
 * Measurement, not a test: BM25 over BEIR SciFact (title + text), scored with nDCG@10 and recall@100.
 *   npx tsx scripts/bm25-scifact.ts [--split test|train] [--k1 0.9] [--b 0.4]
 * Choose parameters on the train split only; the test split is for reporting.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadBeir } from '../src/eval/beir.js';
import { mean, ndcgAtK, recallAtK } from '../src/eval/metrics.js';
import { Bm25Index } from '../src/index/bm25.js';

const { values: args } = parseArgs({
  options: { split: { type: 'string', default: 'test' }, k1: { type: 'string' }, b: { type: 'string' } },
});
const dir = path.resolve(import.meta.dirname, '../../shared/datasets/scifact');
const { corpus, queries, qrels } = await loadBeir(dir, args.split);

const indexStart = performance.now();
const index = Bm25Index.build(
  corpus.map((doc) => `${doc.title} ${doc.text}`),
  { k1: args.k1 === undefined ? undefined : Number(args.k1), b: args.b === undefined ? undefined : Number(args.b) },
);
const indexSeconds = (performance.now() - indexStart) / 1000;

const ndcg: number[] = [];
const recall: number[] = [];
let searchMs = 0;
for (const query of queries) {
  const start = performance.now();
  const hits = index.search(query.text, 100);
  searchMs += performance.now() - start;
  const ranked = hits.map((hit) => corpus[hit.index]!.id);
  const relevant = qrels.get(query.id)!;
  ndcg.push(ndcgAtK(ranked, relevant, 10));
  recall.push(recallAtK(ranked, relevant, 100));
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
console.log(
  JSON.stringify({
    'ndcg@10': round(mean(ndcg), 4),
    'recall@100': round(mean(recall), 4),
    ms_per_query: round(searchMs / queries.length, 3),
    index_seconds: round(indexSeconds, 2),
  }),
);
