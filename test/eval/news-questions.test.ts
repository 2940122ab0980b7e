import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bbc = path.resolve(import.meta.dirname, '../../../shared/datasets/bbc-news/articles.jsonl');
const haveBbc = existsSync(bbc);

/** The question sets of scripts/news-eval.ts: each must name articles of its archive (every 5th) and answers they hold. */
describe.skipIf(!haveBbc)(`the news question sets${haveBbc ? '' : ` (skipped: ${bbc} not found)`}`, () => {
  const archive = new Map(
    readFileSync(bbc, 'utf8')
      .split('\n')
      .filter(Boolean)
      .filter((_, i) => i % 5 === 0)
      .map((line) => JSON.parse(line) as { _id: string; text: string })
      .map(({ _id, text }) => [_id, text]),
  );

  for (const file of ['news-questions.json', 'news-questions-heldout.json']) {
    it(`${file}: every question's article is in the archive, and every answer is a substring of it`, () => {
      const set = JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures', file), 'utf8'));
      expect(set.answerable.length).toBeGreaterThanOrEqual(40);
      expect(set.unanswerable).toHaveLength(15);
      for (const { docId, question, answer } of set.answerable) {
        expect(archive.get(docId), docId).toBeDefined();
        expect(archive.get(docId), question).toContain(answer);
      }
      for (const { docId } of set.unanswerable) expect(archive.has(docId), docId).toBe(true);
    });
  }

  it('the two sets ask about different articles', () => {
    const ids = (file: string) =>
      JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures', file), 'utf8')).answerable.map(
        (q: { docId: string }) => q.docId,
      );
    const seen = new Set(ids('news-questions.json'));
    expect(ids('news-questions-heldout.json').filter((id: string) => seen.has(id))).toEqual([]);
  });
});
