/**
 * Measures the reader's part in "not covered" (READER_ABSTENTION in src/search/quote-weights.ts) on
 * the TUNING part of SQuAD v1.1 dev half, through the bot's own Answerer with the current reader and
 * weights:
 *   - answerable: each tuning question over every article (its own among them);
 *   - other subjects: each tuning question over the validation part's articles alone, where every
 *     answer is a wrong one (what `eval --qa` measures the other way round as
 *     validation_over_other_subjects).
 * For every rule on a grid (refuse below, quote at or above, relevance margin in between, what an
 * article lacking a name or number of the question costs the reader's logit, and the least score
 * quoted), a question is answered as `Answerer.ask` decides (`Answerer.worthShowing`). Printed:
 * relevance alone, the rule in use, and for each number of answerable questions refused the rule that
 * answers the fewest other-subject questions (the frontier to choose on), then the same without names
 * or least score (the grid of the rule before them). `answerable_refused_holding_answer` counts the
 * refused answerable questions that one of their first three passages would have answered: refusing
 * a question whose quotes were wrong anyway loses no answer (its own frontier follows the first).
 *   npx tsx scripts/tune-abstention.ts [--sample N]
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { modelSpec } from '../src/embedding/models.js';
import { memoise } from '../src/eval/fit.js';
import { openQaIndex, questionsByPart } from '../src/eval/qa.js';
import { containsAnswer, loadSquad } from '../src/eval/squad.js';
import { modelOptions } from '../src/options.js';
import type { Answerer } from '../src/search/answerer.js';
import { lacksQuestionNames } from '../src/search/question-names.js';
import type { Passage } from '../src/search/quote-selection.js';
import { READER_ABSTENTION, RELATIVE_CUT } from '../src/search/quote-weights.js';

const { values } = parseArgs({
  options: {
    sample: { type: 'string', default: '1000' },
    file: { type: 'string', default: '../shared/datasets/squad-v1.1-dev-half/dev-half.json' },
  },
});
const config = loadConfig();
const articles = await loadSquad(values.file);
const options = { ...modelOptions(config), cacheDir: '.cache/eval' };
const all = await openQaIndex(articles, options);
for (const embedder of [all.embedders.primary, ...all.embedders.rerankers]) memoise(embedder);
const others = await openQaIndex(
  articles.filter((a) => a.part === 'validation'),
  { ...options, indexName: 'qa-validation-articles', embedders: all.embedders },
);
const { tuning } = questionsByPart(articles, Number(values.sample));
const log = (value: object) => console.log(JSON.stringify(value));

type Rule = { refuseBelow: number; answerAbove: number; relevanceMargin: number; namesMissingPenalty: number; minScore: number };
type Asked = { question: string; passages: Passage[]; lacksNames: (text: string) => boolean; holdsAnswer: boolean };
const quoteAll: Rule = { refuseBelow: -Infinity, answerAbove: -Infinity, relevanceMargin: 0, namesMissingPenalty: 0, minScore: 0 };
/** Each tuning question with its passages, best first. */
async function passagesOf(answerer: Answerer) {
  const out: Asked[] = [];
  for (const q of tuning) {
    const passages = (await answerer.rankPassages(q.question)).passages;
    // What it would quote with no "not covered" at all: the relative cut alone.
    const shown = answerer.worthShowing(q.question, passages, { minRelevance: -Infinity, abstention: quoteAll }, RELATIVE_CUT);
    const holdsAnswer = shown.slice(0, 3).some((p) => containsAnswer(p.text.slice(p.window.start, p.window.end), q.answers));
    out.push({ question: q.question, passages, lacksNames: lacksQuestionNames(q.question), holdsAnswer });
  }
  return out;
}
const probeAll = all.answerer({ minRelevance: -Infinity });
const probeOthers = others.answerer({ minRelevance: -Infinity });
const answerable = await passagesOf(probeAll);
const otherSubjects = await passagesOf(probeOthers);
const { minRelevance } = modelSpec(options.model);
const answered = (answerer: Answerer, { question, passages, lacksNames }: Asked, rule: Rule) =>
  answerer.worthShowing(question, passages, { minRelevance, abstention: rule }, RELATIVE_CUT, lacksNames).length > 0;
const count = (rule: Rule) => {
  const refused = answerable.filter((q) => !answered(probeAll, q, rule));
  return {
    answerable_refused: refused.length,
    answerable_refused_holding_answer: refused.filter((q) => q.holdsAnswer).length,
    other_subjects_answered: otherSubjects.filter((q) => answered(probeOthers, q, rule)).length,
  };
};
const relevanceAlone = count({ refuseBelow: -Infinity, answerAbove: Infinity, relevanceMargin: 0, namesMissingPenalty: 0, minScore: 0 });
log({ step: 'relevance alone', questions: tuning.length, ...relevanceAlone });
const results: Array<Rule & ReturnType<typeof count>> = [];
for (const refuseBelow of [-8, -6, -5, -4])
  for (const answerAbove of [-3, -2, -1, 0, 1])
    for (const relevanceMargin of [0, 0.03, 0.06, 0.09, 0.11, 0.14, 0.18, 0.25])
      for (const namesMissingPenalty of [0, 1, 2, 3, 4])
        for (const minScore of [0, 0.05, 0.1, 0.15, 0.2, 0.3]) {
          const rule = { refuseBelow, answerAbove, relevanceMargin, namesMissingPenalty, minScore };
          results.push({ ...rule, ...count(rule) });
        }
/** For each number of answerable questions refused (or of answers lost), the rule quoting at the fewest other-subject ones. */
function frontierOf(rules: typeof results, cost: 'answerable_refused' | 'answerable_refused_holding_answer' = 'answerable_refused') {
  const frontier = new Map<number, (typeof results)[number]>();
  for (const r of rules) {
    const best = frontier.get(r[cost]);
    if (!best || r.other_subjects_answered < best.other_subjects_answered) frontier.set(r[cost], r);
  }
  return [...frontier].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}
log({ step: 'current', ...READER_ABSTENTION, ...count(READER_ABSTENTION) });
for (const r of frontierOf(results)) log({ step: 'frontier', ...r });
for (const r of frontierOf(results, 'answerable_refused_holding_answer')) log({ step: 'frontier by answers lost', ...r });
for (const r of frontierOf(results.filter((r) => r.namesMissingPenalty === 0 && r.minScore === 0)))
  log({ step: 'frontier without names or score', ...r });
