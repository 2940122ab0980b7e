/**
 * Fits the passage-selection weights (src/search/quote-weights.ts) on the TUNING part of SQuAD v1.1
 * dev half:
 *   1. the sentence weights, a conditional logit: over each question's candidate sentences (what
 *      `Answerer.sentenceSignals` returns), the softmax of the weighted signals should put its mass
 *      on the sentences that hold a gold answer; fitted by Newton's method with a little L2;
 *   2. the price per character, from the trade-off (answer in the first quote against mean first
 *      quote length) printed for a few prices, run through the bot's own Answerer;
 *   3. the score: a logistic model of "the quote holds the answer" from a window's chance and its
 *      relevance, on the top five passages of every tuning question.
 * Then one versus two passages per article for the top three, and (on the validation part, as the
 * issue asks) how often results under a fraction of the first one's score hold the answer.
 *   npx tsx scripts/tune-quotes.ts [--sample N] [--budget 300]
 * The validation part is only read for the relative cut; `npm run eval -- --qa FILE` reports it.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { fitConditionalLogit, fitLogistic, memoise } from '../src/eval/fit.js';
import { askAll, openQaIndex, questionsByPart, summarise } from '../src/eval/qa.js';
import { containsAnswer, loadSquad } from '../src/eval/squad.js';
import type { QuoteWeights, SentenceSignals } from '../src/search/passages.js';
import { QUOTE_WEIGHTS } from '../src/search/quote-weights.js';

const { values } = parseArgs({
  options: {
    sample: { type: 'string' },
    budget: { type: 'string', default: '300' },
    file: { type: 'string', default: '../shared/datasets/squad-v1.1-dev-half/dev-half.json' },
  },
});
const budget = Number(values.budget);
const config = loadConfig();
const articles = await loadSquad(values.file);
const texts = new Map(articles.map((a) => [a.document.id, a.document.text]));
const opened = await openQaIndex(articles, {
  model: config.EMBEDDING_MODEL,
  rerankModels: config.RERANK_MODELS,
  modelsDir: config.MODELS_DIR,
  cacheDir: '.cache/eval',
});
// Embed each question once per model, whatever the weights.
for (const embedder of [opened.embedders.primary, ...opened.embedders.rerankers]) memoise(embedder);
const sample = values.sample === undefined ? undefined : Number(values.sample);
const { tuning, validation } = questionsByPart(articles, sample);
const modelNames = [opened.embedders.primary.model, ...opened.embedders.rerankers.map((r) => r.model)];

// 1. Sentence weights.
const FEATURES = [
  ...modelNames.map((name) => `model:${name}`),
  'bm25',
  'chunk',
  'answerType',
  'coverage',
  'pairs',
  'logChars',
  'novelty',
] as const;
const featuresOf = (s: SentenceSignals): number[] => [
  ...s.models.map(({ z }) => z),
  s.bm25,
  s.chunk,
  s.answerType,
  s.coverage,
  s.pairs,
  s.logChars,
  s.novelty,
];
const probe = opened.answerer({ minRelevance: -Infinity });
const groups: Array<{ x: number[][]; y: number[] }> = [];
for (const q of tuning) {
  const { queries, candidates } = await probe.firstStage(q.question);
  const documents = await probe.sentenceSignals(q.question, queries, candidates, 3);
  const group = { x: [] as number[][], y: [] as number[] };
  for (const { docId, signals } of documents) {
    const sentences = [...opened.index.documents.get(docId)!.sentences];
    for (const [i, s] of signals) {
      group.x.push(featuresOf(s));
      group.y.push(containsAnswer(texts.get(docId)!.slice(sentences[i]!.start, sentences[i]!.end), q.answers) ? 1 : 0);
    }
  }
  if (group.y.some((y) => y === 1)) groups.push(group);
}
const w = fitConditionalLogit(groups, FEATURES.length, 1e-3);
const round = (v: number) => Number(v.toFixed(3));
const fitted: QuoteWeights = {
  ...QUOTE_WEIGHTS,
  models: Object.fromEntries(modelNames.map((name, m) => [name, round(w[m]!)])),
  ...Object.fromEntries(
    ['bm25', 'chunk', 'answerType', 'coverage', 'pairs', 'logChars', 'novelty'].map((key, j) => [key, round(w[modelNames.length + j]!)]),
  ),
};
console.log(JSON.stringify({ step: 'sentence weights', questions: groups.length, weights: fitted }));

// 2. The price per character: the trade-off, through the Answerer.
async function measure(quote: QuoteWeights, questions = tuning) {
  return summarise(await askAll(opened.answerer({ quote, minRelevance: -Infinity }), questions));
}
let chosen = { ...fitted, perHundredChars: QUOTE_WEIGHTS.perHundredChars };
let bestRate = -1;
for (const perHundredChars of [0.01, 0.015, 0.02, 0.03, 0.05]) {
  const r = await measure({ ...fitted, perHundredChars });
  console.log(
    JSON.stringify({
      perHundredChars,
      answer_in_top1_quote: r.answer_in_top1_quote,
      mean_top1_quote_chars: r.mean_top1_quote_chars,
      answer_in_top3_quotes: r.answer_in_top3_quotes,
    }),
  );
  if (r.mean_top1_quote_chars <= budget && r.answer_in_top1_quote > bestRate) {
    bestRate = r.answer_in_top1_quote;
    chosen = { ...fitted, perHundredChars };
  }
}
for (const maxSentences of [1, 2]) {
  const r = await measure({ ...chosen, maxSentences });
  console.log(
    JSON.stringify({ maxSentences, answer_in_top1_quote: r.answer_in_top1_quote, mean_top1_quote_chars: r.mean_top1_quote_chars }),
  );
}

// 3. The score model.
const examples: Array<{ x: [number, number]; y: number }> = [];
const scorer = opened.answerer({ quote: chosen, minRelevance: -Infinity, passagesPerDocument: 2 });
for (const q of tuning) {
  const { passages } = await scorer.rankPassages(q.question, { k: 5 });
  for (const p of passages.slice(0, 5)) {
    examples.push({
      x: [p.window.chance, p.relevance],
      y: containsAnswer(texts.get(p.docId)!.slice(p.window.start, p.window.end), q.answers) ? 1 : 0,
    });
  }
}
const [chance, relevance, bias] = fitLogistic(examples.map(({ x, y }) => ({ x: [...x, 1], y }))).map(round);
chosen = { ...chosen, score: { chance: chance!, relevance: relevance!, bias: bias! } };
console.log(
  JSON.stringify({ step: 'score model', examples: examples.length, positives: examples.filter((e) => e.y).length, score: chosen.score }),
);
console.log(JSON.stringify({ step: 'chosen', weights: chosen, ...(await measure(chosen)) }));

// A second passage of one article against other articles, for the top three.
for (const perDocument of [1, 2]) {
  const r = summarise(
    await askAll(opened.answerer({ quote: chosen, minRelevance: -Infinity, relativeCut: 0, passagesPerDocument: perDocument }), tuning),
  );
  console.log(
    JSON.stringify({
      passagesPerDocument: perDocument,
      answer_in_top1_quote: r.answer_in_top1_quote,
      answer_in_top3_quotes: r.answer_in_top3_quotes,
    }),
  );
}
// The relative cut, on the validation part: how often a 2nd/3rd result below a fraction of the
// first one's score still holds the answer.
const lower: Array<{ ratio: number; hit: boolean }> = [];
for (const outcome of await askAll(opened.answerer({ quote: chosen, relativeCut: 0 }), validation)) {
  const [first, ...rest] = outcome.answer.results;
  for (const r of rest) lower.push({ ratio: r.score / first!.score, hit: containsAnswer(r.quote, outcome.question.answers) });
}
for (const cut of [0.05, 0.1, 0.2, 0.3, 0.4, 0.5]) {
  const dropped = lower.filter((l) => l.ratio < cut);
  const kept = lower.filter((l) => l.ratio >= cut);
  const rate = (list: typeof lower) => Number((list.filter((l) => l.hit).length / Math.max(list.length, 1)).toFixed(3));
  console.log(
    JSON.stringify({
      relativeCut: cut,
      dropped: dropped.length,
      dropped_with_answer: rate(dropped),
      kept: kept.length,
      kept_with_answer: rate(kept),
    }),
  );
}
