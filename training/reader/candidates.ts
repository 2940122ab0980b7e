/**
 * Step 1 of `npm run train:reader`: the reader's training and evaluation data, made by the bot's own
 * first stage so the reader learns on the candidates it will re-score. For each question of a
 * SQuAD v1.1 file, every article of the file is indexed together (as `eval --qa` does), the question
 * goes through `Answerer.firstStage` and `sentenceSignals`, and the candidate sentences are ordered
 * by the fitted signals alone (the order the reader sees them in at question time). One JSON line a
 * question:
 *   {"id","question","part","candidates":[{"text","context","label","base","own"}]}
 * `label` is 1 when the sentence is in the question's own article and holds a gold answer, `own`
 * when it is in that article at all (other articles' sentences are the "topic is not answer"
 * negatives); `context` is what the reader reads before the sentence (src/search/reader-context.ts).
 * Only the first `--top` candidates are written.
 *   npx tsx training/reader/candidates.ts --file F --out OUT.jsonl [--every N] [--top 24] [--questions N] [--reuse OLD.jsonl]
 * `--every N` keeps every N-th article (a cheaper index); `--questions N` a fixed sample of them;
 * `--reuse` copies the lines of questions an earlier run already wrote (the output is the same, sooner).
 */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { openQaIndex } from '../../src/eval/qa.js';
import { containsAnswer, fixedSample, loadSquad } from '../../src/eval/squad.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    out: { type: 'string' },
    every: { type: 'string', default: '1' },
    top: { type: 'string', default: '24' },
    questions: { type: 'string' },
    part: { type: 'string' },
    reuse: { type: 'string' },
  },
});
if (!values.file || !values.out) throw new Error('--file and --out are required');
const every = Number(values.every);
const top = Number(values.top);
const config = loadConfig();
const all = await loadSquad(values.file);
const articles = all.filter((_, i) => i % every === 0);
const opened = await openQaIndex(articles, {
  model: config.EMBEDDING_MODEL,
  rerankModels: config.RERANK_MODELS,
  modelsDir: config.MODELS_DIR,
  cacheDir: '.cache/eval',
  onProgress: (label) => (done, total) => process.stderr.write(`\r${label}: ${done}/${total}`),
});
process.stderr.write('\n');
const partOf = new Map(articles.map((a) => [a.document.id, a.part]));
let questions = articles.filter((a) => !values.part || a.part === values.part).flatMap((a) => a.questions);
questions = fixedSample(questions, values.questions === undefined ? undefined : Number(values.questions));
const probe = opened.answerer({ minRelevance: -Infinity });
const earlier = new Map<string, string>();
if (values.reuse && existsSync(values.reuse)) {
  for (const line of readFileSync(values.reuse, 'utf8').split('\n').filter(Boolean)) earlier.set(JSON.parse(line).id, line);
}
const out = createWriteStream(values.out);
const started = performance.now();
let withAnswer = 0;
for (const [n, q] of questions.entries()) {
  if (n % 200 === 0) process.stderr.write(`\rquestions: ${n}/${questions.length}`);
  const done = earlier.get(q.id);
  if (done) {
    if ((JSON.parse(done).candidates as Array<{ label: number }>).some((r) => r.label === 1)) withAnswer++;
    out.write(`${done}\n`);
    continue;
  }
  const rows = (await opened.candidateSentences(probe, q.question)).map(({ docId, text, context, base }) => {
    const own = docId === q.docId ? 1 : 0;
    return { text, context, label: own && containsAnswer(text, q.answers) ? 1 : 0, base: Number(base.toFixed(4)), own };
  });
  rows.sort((a, b) => b.base - a.base);
  const kept = rows.slice(0, top);
  if (kept.some((r) => r.label === 1)) withAnswer++;
  out.write(`${JSON.stringify({ id: q.id, question: q.question, part: partOf.get(q.docId), candidates: kept })}\n`);
}
await new Promise((resolve) => out.end(resolve));
process.stderr.write('\n');
console.log(
  JSON.stringify({
    file: values.file,
    articles: articles.length,
    questions: questions.length,
    answer_in_candidates: Number((withAnswer / questions.length).toFixed(4)),
    seconds: Math.round((performance.now() - started) / 1000),
  }),
);
