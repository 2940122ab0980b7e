import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { containsAnswer, fixedSample, loadSquad, tokenF1 } from '../../src/eval/squad.js';
import { ROOT } from '../support/helpers.js';

describe('loadSquad', () => {
  it('writes each article as a file would hold it and alternates the parts', async () => {
    const articles = await loadSquad(path.join(ROOT, 'test/fixtures/tiny-squad.json'));
    expect(articles.map((a) => [a.document.id, a.part])).toEqual([
      ['00-Harbour_Bridge', 'tuning'],
      ['01-Wind_Farm', 'validation'],
    ]);
    const { text, title } = articles[0]!.document;
    expect(title).toBe('Harbour Bridge');
    expect(text.startsWith('Harbour Bridge\n\nThe harbour bridge was opened in 1932')).toBe(true);
    expect(text).toContain('About 1,400 workers built it.\n\nThe bridge is painted');
    for (const { document, questions } of articles)
      for (const q of questions) expect(q.answers.some((a) => document.text.includes(a))).toBe(true);
  });

  it('rejects a file that is not SQuAD with one line', async () => {
    await expect(loadSquad(path.join(ROOT, 'package.json'))).rejects.toThrow(/is not a SQuAD v1.1 file/);
  });
});

describe('containsAnswer', () => {
  it('ignores case and runs of whitespace, nothing else', () => {
    expect(containsAnswer('Built by  ABOUT 1,400\nworkers.', ['about 1,400 workers'])).toBe(true);
    expect(containsAnswer('Built by about 1400 workers.', ['about 1,400'])).toBe(false);
  });
});

describe('fixedSample', () => {
  it('takes the same evenly spaced items every time', () => {
    expect(fixedSample([1, 2, 3, 4, 5, 6], 3)).toEqual([1, 3, 5]);
    expect(fixedSample([1, 2], 5)).toEqual([1, 2]);
  });
});

describe('tokenF1', () => {
  it("scores a predicted answer as SQuAD's official script does", () => {
    expect(tokenF1('25,000 tonnes', '25,000 tonnes')).toBe(1);
    expect(tokenF1('the Denver Broncos', 'Denver Broncos')).toBe(1);
    expect(tokenF1('Denver', 'Denver Broncos')).toBeCloseTo(2 / 3, 6);
    expect(tokenF1('Carolina Panthers', 'Denver Broncos')).toBe(0);
  });
});
