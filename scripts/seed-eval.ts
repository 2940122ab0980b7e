/**
 * Measures each embedding model on the seed questions (test/fixtures/seed-questions.json):
 * hit@1, answer inside the top quote, the relevance of in-domain vs off-topic questions (to
 * place the abstention threshold between them) and time per question. One JSON line per model.
 *   npx tsx scripts/seed-eval.ts [--rerank none|default|MODEL,MODEL] [model ...]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { MODEL_SPECS } from '../src/embedding/models.js';
import { openEngine } from '../src/engine/open.js';
import questions from '../test/fixtures/seed-questions.json' with { type: 'json' };

const args = process.argv.slice(2);
const rerankFlag = args.indexOf('--rerank');
const rerank = rerankFlag === -1 ? 'default' : args.splice(rerankFlag, 2)[1];
const models = args.length > 0 ? args : Object.keys(MODEL_SPECS);
for (const model of models) {
  const engine = await openEngine({
    corpusDir: 'seeds',
    indexDir: mkdtempSync(path.join(tmpdir(), 'seed-eval-')),
    model,
    rerankModels: (rerank === 'none' ? [] : rerank === 'default' ? loadConfig({}).RERANK_MODELS : rerank!.split(',')).filter(
      (name) => name !== model,
    ),
    modelsDir: process.env.MODELS_DIR ?? '../shared/models',
    minRelevance: -1, // report raw relevance; abstention is what this script calibrates
  });
  let hits = 0;
  let inQuote = 0;
  const inDomain: number[] = [];
  const offTopic: number[] = [];
  const started = performance.now();
  for (const { question, docId, answer } of questions.answerable) {
    const top = (await engine.ask(question)).results[0]!;
    if (top.docId === docId) hits++;
    if (top.docId === docId && top.quote?.includes(answer)) inQuote++;
    inDomain.push(top.relevance);
  }
  for (const question of questions.offTopic) offTopic.push((await engine.ask(question)).results[0]!.relevance);
  const asked = questions.answerable.length + questions.offTopic.length;
  const lowestIn = Math.min(...inDomain);
  const highestOff = Math.max(...offTopic);
  console.log(
    JSON.stringify({
      model,
      rerank: engine.embedders.rerankers.map((r) => r.model),
      hitAt1: hits / questions.answerable.length,
      answerInQuote: inQuote / questions.answerable.length,
      lowestInDomain: lowestIn,
      highestOffTopic: highestOff,
      suggestedThreshold: Number(((lowestIn + highestOff) / 2).toFixed(2)),
      msPerQuestion: Number(((performance.now() - started) / asked).toFixed(1)),
    }),
  );
  engine.close();
}
