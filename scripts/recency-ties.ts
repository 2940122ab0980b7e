/**
 * Should recency break near-ties? For each seed question, looks at the top two results: when
 * their relevance is within EPSILON, would preferring the newer article have helped or hurt?
 * Prints one JSON line. Results without a date cannot take part in a recency tie-break.
 *   npx tsx scripts/recency-ties.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { openEngine } from '../src/engine/open.js';
import questions from '../test/fixtures/seed-questions.json' with { type: 'json' };

const EPSILON = 0.02;
const config = loadConfig({ MODELS_DIR: process.env.MODELS_DIR ?? '../shared/models' });
const engine = await openEngine({
  corpusDir: 'seeds',
  indexDir: mkdtempSync(path.join(tmpdir(), 'recency-')),
  model: config.EMBEDDING_MODEL,
  rerankModels: config.RERANK_MODELS,
  modelsDir: config.MODELS_DIR,
});
let nearTies = 0;
let bothDated = 0;
let newerWasRight = 0;
let newerWasWrong = 0;
for (const { question, docId } of questions.answerable) {
  const [first, second] = (await engine.ask(question, { k: 2 })).results;
  if (!first || !second || first.score - second.score > EPSILON) continue;
  nearTies++;
  if (!first.date || !second.date || first.date === second.date) continue;
  bothDated++;
  const newer = first.date > second.date ? first : second;
  if (newer.docId === docId) newerWasRight++;
  else newerWasWrong++;
}
console.log(
  JSON.stringify({ questions: questions.answerable.length, epsilon: EPSILON, nearTies, bothDated, newerWasRight, newerWasWrong }),
);
engine.close();
