/**
 * Fits how the quote reader joins quote selection (READER_WEIGHTS in src/search/quote-weights.ts)
 * on the TUNING part of SQuAD v1.1 dev half, through the bot's own Answerer:
 *   1. every tuning question's candidate sentences, ordered by the fitted signals, and the reader's
 *      logits for the first 16;
 *   2. for each number of sentences read, the conditional logit of (signals score, reader logit):
 *      the two weights, and how often the best sentence holds the answer (the reader's weight is
 *      kept; the signals' is READER_WEIGHTS.signals, set by hand on news questions: quote-weights.ts);
 *   3. the trade-off through the Answerer (sentences read against answer in the first quote, quote
 *      length and ms per question), then the length price for the chosen number, then when to read
 *      the second half of them (two passes, read-passes.ts), then when the reader's best sentence
 *      is quoted alone (reader-verdicts.ts);
 *   4. the score model (chance, relevance, reader logit → the quote holds the answer), on the logit
 *      `answerScore` is given (`Passage.scoredReader`: the lowest one read for an unread passage);
 *   5. abstention: how often the best reader logit is below a threshold when the candidates hold the
 *      answer, and when the answering sentences are taken out (a question on the subject that the
 *      archive cannot answer).
 *   npx tsx scripts/tune-reader.ts [--sample N] [--read N]
 * `--read N` fixes the number of sentences read (a choice made on an earlier run's trade-off, say for
 * the question-time budget) and skips the trade-off.
 * The validation part is never read here: `npm run eval -- --qa FILE` reports it.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { fitConditionalLogit, fitLogistic, memoise, memoiseReads } from '../src/eval/fit.js';
import { askAll, openQaIndex, questionsByPart, summarise } from '../src/eval/qa.js';
import { containsAnswer, loadSquad } from '../src/eval/squad.js';
import { modelOptions } from '../src/options.js';
import type { ReaderWeights } from '../src/search/passages.js';
import { READER_WEIGHTS } from '../src/search/quote-weights.js';
import { readsOn } from '../src/search/read-passes.js';

const READ_MAX = 16;
const { values } = parseArgs({
  options: {
    sample: { type: 'string' },
    'trade-off-sample': { type: 'string', default: '800' },
    read: { type: 'string' },
    file: { type: 'string', default: '../shared/datasets/squad-v1.1-dev-half/dev-half.json' },
  },
});
const config = loadConfig();
const articles = await loadSquad(values.file);
const byId = new Map(articles.map((a) => [a.document.id, a.document]));
const opened = await openQaIndex(articles, {
  ...modelOptions(config),
  cacheDir: '.cache/eval',
});
const reader = opened.embedders.reader;
if (!reader) throw new Error('QUOTE_READER is none: nothing to tune');
for (const embedder of [opened.embedders.primary, ...opened.embedders.rerankers]) memoise(embedder);
const { tuning } = questionsByPart(articles, values.sample === undefined ? undefined : Number(values.sample));
const round = (v: number, digits = 3) => Number(v.toFixed(digits));
const log = (value: object) => console.log(JSON.stringify(value));

// 1. Candidates and the reader's logits.
interface Row {
  base: number;
  label: number;
  reader: number | null;
  span: number | null;
}
const questions: Row[][] = [];
const probe = opened.answerer({ minRelevance: -Infinity, reading: { ...READER_WEIGHTS, candidates: 0 } });
for (const q of tuning) {
  const rows = (await opened.candidateSentences(probe, q.question)).map(({ text, context, base }) => ({
    text,
    context,
    base,
    label: containsAnswer(text, q.answers) ? 1 : 0,
    reader: null as number | null,
    span: null as number | null,
  }));
  const first = rows.slice(0, READ_MAX);
  const read = await reader.read(
    q.question,
    first.map((r) => r.text),
    first.map((r) => r.context),
  );
  read.forEach((verdict, n) => {
    rows[n]!.reader = verdict.score;
    rows[n]!.span = verdict.answer?.logit ?? 0;
  });
  questions.push(rows.map(({ base, label, reader, span }) => ({ base, label, reader, span })));
}
log({
  step: 'candidates',
  questions: questions.length,
  answer_in_first_16: round(questions.filter((rows) => rows.slice(0, READ_MAX).some((r) => r.label)).length / questions.length),
});

// 2. The weights for each number of sentences read: signals and reader logit, then with the span
//    head's logit as a third input (kept only when it pays half a point of best sentences).
const fits = new Map<number, { signals: number; reader: number; span: number }>();
/** Each candidate's reader logit when the first n are read: the others get the lowest logit read, as in QuoteSelection. */
const readOrFloor = (rows: Row[], n: number) => {
  const floor = Math.min(...rows.slice(0, n).map((r) => r.reader!));
  return rows.map((r, i) => (i < n ? r.reader! : floor));
};
function fitWeights(n: number, withSpan: boolean) {
  const groups = questions
    .filter((rows) => rows.some((r) => r.label))
    .map((rows) => {
      const spanFloor = Math.min(...rows.slice(0, n).map((r) => r.span!));
      const logits = readOrFloor(rows, n);
      const x = rows.map((r, i) => [r.base, logits[i]!, ...(withSpan ? [i < n ? r.span! : spanFloor] : [])]);
      return { x, y: rows.map((r) => r.label) };
    });
  const w = fitConditionalLogit(groups, withSpan ? 3 : 2, 1e-4);
  const dot = (row: number[]) => row.reduce((sum, v, k) => sum + v * w[k]!, 0);
  const top1 = groups.filter(({ x, y }) => {
    let best = 0;
    x.forEach((row, i) => (dot(row) > dot(x[best]!) ? (best = i) : 0));
    return y[best] === 1;
  }).length;
  return { signals: round(w[0]!), reader: round(w[1]!), span: round(w[2] ?? 0), rate: round(top1 / questions.length, 4) };
}
for (const n of [4, 6, 8, 12, 16]) {
  const plain = fitWeights(n, false);
  const spanned = fitWeights(n, true);
  const { rate, ...weights } = spanned.rate > plain.rate + 0.005 ? spanned : plain;
  fits.set(n, weights);
  log({ step: 'weights', read: n, ...weights, best_sentence_holds_answer: rate, without_span: plain.rate, with_span: spanned.rate });
}
log({
  step: 'weights',
  read: 0,
  best_sentence_holds_answer: round(questions.filter((rows) => rows[0]?.label).length / questions.length, 4),
});

// 3. Trade-off through the Answerer, then the length price.
const tradeOff = tuning.filter((_, i) => i % Math.max(1, Math.round(tuning.length / Number(values['trade-off-sample']))) === 0);
async function measure(reading: ReaderWeights, questionsToAsk = tradeOff) {
  return summarise(await askAll(opened.answerer({ minRelevance: -Infinity, reading }), questionsToAsk));
}
const baseline = await measure({ ...READER_WEIGHTS, candidates: 0 });
log({
  step: 'trade-off',
  read: 0,
  answer_in_top1_quote: baseline.answer_in_top1_quote,
  mean_top1_quote_chars: baseline.mean_top1_quote_chars,
  ms_per_question: baseline.ms_per_question,
});
// Windows as before step 3c until it chooses when the best sentence is quoted alone.
const NEVER_ALONE = { above: Infinity, margin: Infinity };
let chosen: ReaderWeights = { ...READER_WEIGHTS, firstPass: READER_WEIGHTS.candidates, soleAnswer: NEVER_ALONE };
let bestRate = -1;
for (const n of values.read ? [Number(values.read)] : [4, 6, 8, 12]) {
  // All n read in one pass here; when to read only half of them is chosen below (3b).
  // The signals' weight is READER_WEIGHTS.signals, chosen on news questions in a reader's own words
  // (quote-weights.ts), not this fit's (logged): SQuAD's questions reuse the answer's words.
  const { reader, span } = fits.get(n)!;
  const reading = { ...READER_WEIGHTS, candidates: n, firstPass: n, soleAnswer: NEVER_ALONE, reader, span };
  const r = await measure(reading);
  log({
    step: 'trade-off',
    read: n,
    answer_in_top1_quote: r.answer_in_top1_quote,
    answer_in_top3_quotes: r.answer_in_top3_quotes,
    mean_top1_quote_chars: r.mean_top1_quote_chars,
    ms_per_question: r.ms_per_question,
  });
  // More reading must pay: half a point of first quotes per step.
  if (r.answer_in_top1_quote > bestRate + 0.005) {
    bestRate = r.answer_in_top1_quote;
    chosen = reading;
  }
}
let bestPriced = -1;
for (const perHundredChars of [0.01, 0.02, 0.03, 0.04, 0.08]) {
  const r = await measure({ ...chosen, perHundredChars });
  log({
    step: 'length price',
    perHundredChars,
    answer_in_top1_quote: r.answer_in_top1_quote,
    answer_in_top3_quotes: r.answer_in_top3_quotes,
    mean_top1_quote_chars: r.mean_top1_quote_chars,
  });
  // The budget: a first quote of at most 250 characters on average.
  if (r.mean_top1_quote_chars <= 250 && r.answer_in_top1_quote > bestPriced) {
    bestPriced = r.answer_in_top1_quote;
    chosen = { ...chosen, perHundredChars };
  }
}

// 3b. Two passes: the first half of the chosen number read first, the rest only when the reader's
//     best logit among them is between hopelessBelow and sureAbove (read-passes.ts). On the logits of
//     step 1: how often the best sentence, and one of the best three, holds the answer, and the mean
//     number of sentences read. Kept: the fewest sentences read within 0.1 point of reading them all.
function twoPasses(firstPass: number, sureAbove: number, hopelessBelow: number) {
  const { signals, reader: weight } = fits.get(chosen.candidates)!;
  let best = 0;
  let top3 = 0;
  let read = 0;
  for (const rows of questions) {
    const all = Math.min(chosen.candidates, rows.length);
    const first = Math.max(...rows.slice(0, Math.min(firstPass, all)).map((r) => r.reader!));
    const n = readsOn(first, { sureAbove, hopelessBelow }) ? all : Math.min(firstPass, all);
    const logits = readOrFloor(rows, n);
    const order = rows.map((r, i) => ({ label: r.label, score: signals * r.base + weight * logits[i]! })).sort((a, b) => b.score - a.score);
    best += order[0]?.label ?? 0;
    top3 += order.slice(0, 3).some((r) => r.label) ? 1 : 0;
    read += n;
  }
  const share = (v: number) => round(v / questions.length, 4);
  return { best_sentence_holds_answer: share(best), best_three_hold_answer: share(top3), mean_read: round(read / questions.length, 2) };
}
const allRead = twoPasses(chosen.candidates, Infinity, -Infinity);
log({ step: 'two passes', firstPass: chosen.candidates, ...allRead });
let fewest = { ...allRead, firstPass: chosen.candidates, sureAbove: Infinity, hopelessBelow: -Infinity };
const firstPass = Math.ceil(chosen.candidates / 2);
for (const sureAbove of [0, 1, 2, 3]) {
  for (const hopelessBelow of [-6, -5, -4]) {
    const r = twoPasses(firstPass, sureAbove, hopelessBelow);
    log({ step: 'two passes', firstPass, sureAbove, hopelessBelow, ...r });
    const asGood =
      r.best_sentence_holds_answer >= allRead.best_sentence_holds_answer - 0.001 &&
      r.best_three_hold_answer >= allRead.best_three_hold_answer - 0.001;
    if (asGood && r.mean_read < fewest.mean_read) fewest = { ...r, firstPass, sureAbove, hopelessBelow };
  }
}
chosen = { ...chosen, firstPass: fewest.firstPass, sureAbove: fewest.sureAbove, hopelessBelow: fewest.hopelessBelow };
const passes = await measure(chosen);
log({
  step: 'two passes',
  chosen: { firstPass: chosen.firstPass, sureAbove: chosen.sureAbove, hopelessBelow: chosen.hopelessBelow },
  answer_in_top1_quote: passes.answer_in_top1_quote,
  answer_in_top3_quotes: passes.answer_in_top3_quotes,
  mean_top1_quote_chars: passes.mean_top1_quote_chars,
  ms_per_question: passes.ms_per_question,
});

// 3c. One sentence when the reader is sure (reader-verdicts.ts): its best sentence is quoted alone
//     when its logit is at least `above` and `margin` over every other sentence read. On the whole
//     tuning part (the reads kept from the first setting: the rule acts after reading). Kept: the
//     shortest mean first quote within 0.1 point of the first quotes without the rule.
const readAfresh = memoiseReads(reader);
const never = await measure(chosen, tuning);
log({
  step: 'sole answer',
  rule: 'never',
  answer_in_top1_quote: never.answer_in_top1_quote,
  mean_top1_quote_chars: never.mean_top1_quote_chars,
});
let shortest = { rule: NEVER_ALONE, chars: never.mean_top1_quote_chars };
for (const above of [1, 2, 3, 4]) {
  for (const margin of [1, 2]) {
    const r = await measure({ ...chosen, soleAnswer: { above, margin } }, tuning);
    const { answer_in_top1_quote, answer_in_top3_quotes, mean_top1_quote_chars } = r;
    log({ step: 'sole answer', above, margin, answer_in_top1_quote, answer_in_top3_quotes, mean_top1_quote_chars });
    if (answer_in_top1_quote >= never.answer_in_top1_quote - 0.001 && mean_top1_quote_chars < shortest.chars)
      shortest = { rule: { above, margin }, chars: mean_top1_quote_chars };
  }
}
readAfresh();
chosen = { ...chosen, soleAnswer: shortest.rule };
log({ step: 'sole answer', chosen: chosen.soleAnswer });

// 4. The score model.
const examples: Array<{ x: number[]; y: number }> = [];
const scorer = opened.answerer({ minRelevance: -Infinity, reading: chosen });
for (const q of tuning) {
  const { passages } = await scorer.rankPassages(q.question, { k: 5 });
  for (const p of passages.slice(0, 5)) {
    examples.push({
      x: [p.window.chance, p.relevance, p.scoredReader ?? 0, 1],
      y: containsAnswer(byId.get(p.docId)!.text.slice(p.window.start, p.window.end), q.answers) ? 1 : 0,
    });
  }
}
const [chance, relevance, readerScore, bias] = fitLogistic(examples).map((v) => round(v));
chosen = { ...chosen, score: { chance: chance!, relevance: relevance!, reader: readerScore!, bias: bias! } };
log({ step: 'score model', examples: examples.length, positives: examples.filter((e) => e.y).length, score: chosen.score });

// 5. Abstention on the reader's best logit among the sentences it reads.
const best = (rows: Row[]) => Math.max(...rows.slice(0, chosen.candidates).map((r) => r.reader!));
const withAnswer = questions.filter((rows) => rows.slice(0, chosen.candidates).some((r) => r.label)).map(best);
const withoutAnswer = questions.map((rows) => best(rows.filter((r) => !r.label)));
for (const threshold of [-8, -6, -5, -4, -3, -2, -1, 0]) {
  const share = (list: number[]) => round(list.filter((v) => v < threshold).length / list.length, 4);
  log({
    step: 'abstention',
    reader_below: threshold,
    answerable_refused: share(withAnswer),
    answer_sentences_removed_refused: share(withoutAnswer),
  });
}
log({ step: 'chosen', reading: chosen, tuning: await measure(chosen, tuning) });
