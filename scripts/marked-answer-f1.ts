/**
 * The span head's quality through the bot's pipeline: asks the validation part of SQuAD v1.1 dev
 * half (or a fixed --sample per part) with answers marked, whatever MARK_ANSWERS says, and prints
 * the token F1 of the marked answer where the first quote holds a gold answer (`marked_answer_f1`):
 * the answer marker's marks when the reader's config.json names one (src/search/answer-marks.ts),
 * else the reader's own span head's.
 * MARK_ANSWERS (src/search/quote-weights.ts) turns marks on in replies only from 80%.
 *   npx tsx scripts/marked-answer-f1.ts [--sample N]
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { askAll, openQaAnswerer, questionsByPart, summarise } from '../src/eval/qa.js';
import { loadSquad } from '../src/eval/squad.js';
import { modelOptions } from '../src/options.js';

const { values } = parseArgs({
  options: { sample: { type: 'string' }, file: { type: 'string', default: '../shared/datasets/squad-v1.1-dev-half/dev-half.json' } },
});
const config = loadConfig();
const articles = await loadSquad(values.file);
const { answerer } = await openQaAnswerer(articles, {
  ...modelOptions(config),
  cacheDir: '.cache/eval',
  settings: { markAnswers: true },
});
const { validation } = questionsByPart(articles, values.sample === undefined ? undefined : Number(values.sample));
const result = summarise(await askAll(answerer, validation));
console.log(
  JSON.stringify({
    part: 'validation',
    questions: result.questions,
    answer_in_top1_quote: result.answer_in_top1_quote,
    marked_answer_f1: result.marked_answer_f1,
  }),
);
