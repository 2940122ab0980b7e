/**
 * "Not covered" with the default pipeline (reader included) on the seed corpus, by group of
 * test/fixtures/seed-questions.json: answerable questions and keyword questions must be answered
 * (with the answer in the first quote), off-topic questions and questions on a subject the seeds
 * cover but cannot answer must not. Prints one JSON line per group and one per miss, then the ms a
 * question took (mean and p50).
 *   npx tsx scripts/abstention-eval.ts [--reader none]
 * The thresholds were fitted on SQuAD (scripts/tune-reader.ts), never on these questions.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { quantile } from '../src/bench/measure.js';
import { loadConfig } from '../src/config.js';
import { openEngine } from '../src/engine/open.js';
import { engineOptions } from '../src/options.js';
import questions from '../test/fixtures/seed-questions.json' with { type: 'json' };

const { values } = parseArgs({ options: { reader: { type: 'string' } } });
const config = loadConfig();
const options = engineOptions(config, { corpus: 'seeds', index: mkdtempSync(path.join(tmpdir(), 'abstention-eval-')) });
const engine = await openEngine({ ...options, reader: values.reader === 'none' ? null : options.reader });
// Each question's time: the budget is a p50 (the mean also counts the first, cold question).
const times: number[] = [];
const ask = async (question: string) => {
  const started = performance.now();
  const result = await engine.ask(question);
  times.push(performance.now() - started);
  return result;
};
const shouldAnswer = async (group: string, list: Array<{ question: string; answer: string }>) => {
  let answered = 0;
  let inFirstQuote = 0;
  for (const { question, answer } of list) {
    const result = await ask(question);
    if (result.answered) answered++;
    if (result.results[0]?.quote?.includes(answer)) inFirstQuote++;
    else
      console.log(
        JSON.stringify({ group, miss: question, answered: result.answered, first: result.results[0]?.quote?.slice(0, 120) ?? null }),
      );
  }
  console.log(JSON.stringify({ group, questions: list.length, answered, answer_in_first_quote: inFirstQuote }));
};
const shouldRefuse = async (group: string, list: string[]) => {
  let refused = 0;
  for (const question of list) {
    const result = await ask(question);
    if (!result.answered) refused++;
    else
      console.log(
        JSON.stringify({ group, quoted: question, first: result.results[0]!.quote?.slice(0, 120), score: result.results[0]!.score }),
      );
  }
  console.log(JSON.stringify({ group, questions: list.length, refused }));
};
await shouldAnswer('answerable', questions.answerable);
await shouldAnswer('aboutArticle', questions.aboutArticle);
await shouldAnswer('keyword', questions.keyword);
await shouldRefuse('offTopic', questions.offTopic);
await shouldRefuse('inTopicUnanswerable', questions.inTopicUnanswerable);
console.log(
  JSON.stringify({
    reader: engine.embedders.reader ? 'on' : 'off',
    ms_per_question: Number((times.reduce((sum, t) => sum + t, 0) / times.length).toFixed(1)),
    ms_p50: Number(quantile(times, 0.5).toFixed(1)),
  }),
);
engine.close();
