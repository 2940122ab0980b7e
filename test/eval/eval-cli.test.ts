import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelsDir, ROOT, TEST_MODEL, tempDir } from '../support/helpers.js';

const TINY = path.join(ROOT, 'test/fixtures/tiny-beir');
const cache = tempDir('eval-cache-');

function evaluate(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/eval.ts', '--cache', cache, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, MODELS_DIR: modelsDir(), EMBEDDING_MODEL: TEST_MODEL },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run eval', () => {
  it('prints one JSON line per mode with the metrics, on a tiny BEIR dataset with the real models', () => {
    const { status, stdout, stderr } = evaluate(['--beir', TINY, '--all-modes', '--json']);
    expect(status, stderr).toBe(0);
    const rows = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((row) => row.mode)).toEqual(['bm25', 'dense', 'hybrid', 'hybrid+rerank', 'bot']);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual([
        'dataset',
        'backend',
        'mode',
        'queries',
        'ndcg@10',
        'recall@10',
        'recall@100',
        'mrr@10',
        'ms_per_query',
      ]);
      expect(row).toMatchObject({ dataset: 'tiny-beir', backend: 'local', queries: 3 });
    }
    // Paraphrased claims: the dense modes find every relevant document first; BM25 misses some words.
    for (const row of rows.filter((r) => r.mode !== 'bm25')) expect(row['mrr@10']).toBe(1);
    expect(stderr).toMatch(
      /BM25 weight [\d.]+ \(chosen on the train split; train nDCG@10 [\d.]+ at weight 1; change by weight: 0.25: [+-]/,
    );
  }, 120_000);

  it('measures quotes on a SQuAD file through the bot pipeline, for the whole set and each part', () => {
    const { status, stdout, stderr } = evaluate(['--qa', path.join(ROOT, 'test/fixtures/tiny-squad.json'), '--json']);
    expect(status, stderr).toBe(0);
    const row = JSON.parse(stdout);
    const keys = [
      'questions',
      'right_article_at_1',
      'answer_in_top1_quote',
      'answer_in_top3_quotes',
      'mean_top1_quote_chars',
      'not_covered',
      'marked_answer_f1',
      'ms_per_question',
    ];
    expect(Object.keys(row)).toEqual(['dataset', ...keys, 'tuning', 'validation', 'validation_over_other_subjects']);
    // The validation part's questions (a wind farm) over the tuning part's article alone (a bridge): none is quoted at.
    expect(row.validation_over_other_subjects).toEqual({ articles: 1, questions: 3, answered: 0, answered_share: 0 });
    expect(row).toMatchObject({ dataset: 'tiny-squad.json', questions: 6, right_article_at_1: 1 });
    // Article 0 is the tuning part, article 1 the validation part.
    expect(row.tuning.questions).toBe(3);
    expect(row.validation.questions).toBe(3);
    expect(Object.keys(row.validation)).toEqual(keys);
    expect(row.answer_in_top1_quote).toBeGreaterThanOrEqual(5 / 6);
    expect(row.mean_top1_quote_chars).toBeGreaterThan(0);
    const sampled = JSON.parse(evaluate(['--qa', path.join(ROOT, 'test/fixtures/tiny-squad.json'), '--sample', '2', '--json']).stdout);
    expect(sampled.questions).toBe(4);
  }, 120_000);

  it('rejects a missing dataset and an unknown mode with one line', () => {
    const missing = evaluate(['--beir', '/no/such', '--json']);
    expect(missing.status).toBe(2);
    expect(
      missing.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('npm warn')),
    ).toEqual(['error: /no/such/corpus.jsonl: file not found']);
    const badMode = evaluate(['--beir', TINY, '--mode', 'magic']);
    expect(badMode.stderr).toMatch(/^error: --mode must be one of bm25, dense, hybrid, hybrid\+rerank, bot, got "magic"$/m);
  });
});
