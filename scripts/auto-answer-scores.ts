/**
 * The first quote's score on the seed questions, with the default pipeline: where auto-answer's
 * threshold (AUTO_ANSWER_MIN_SCORE, src/bot/messages/auto-answer.ts) sits between answerable and off-topic ones.
 *   npx tsx scripts/auto-answer-scores.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { openEngine } from '../src/engine/open.js';
import { engineOptions } from '../src/options.js';
import questions from '../test/fixtures/seed-questions.json' with { type: 'json' };

const config = loadConfig({ MODELS_DIR: process.env.MODELS_DIR ?? '../shared/models' });
const engine = await openEngine(engineOptions(config, { corpus: 'seeds', index: mkdtempSync(path.join(tmpdir(), 'auto-answer-')) }));
const first = async (question: string) => {
  const answer = await engine.ask(question);
  return answer.answered ? answer.results[0]!.score : 0;
};
const answerable: number[] = [];
for (const { question } of questions.answerable) answerable.push(await first(question));
const offTopic: number[] = [];
for (const question of questions.offTopic) offTopic.push(await first(question));
engine.close();
const sorted = (values: number[]) => [...values].sort((a, b) => a - b).map((v) => Number(v.toFixed(3)));
console.log(JSON.stringify({ answerable: sorted(answerable), offTopic: sorted(offTopic) }));
