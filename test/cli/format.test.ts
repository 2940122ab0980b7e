import { describe, expect, it } from 'vitest';
import { answerToJson, answerToText } from '../../src/cli/format.js';
import type { Answer } from '../../src/core/types.js';

const HOSTILE = 'Prices rose \x1b[31msharply\x1b[0m, see \x1b]8;;https://evil.example\x07here\x1b]8;;\x07.\x9b2J';

const answer = (fields: Partial<Answer['results'][number]> = {}): Answer => ({
  question: 'q',
  answered: true,
  nearest: [],
  results: [{ rank: 1, docId: 'doc\x1b[2J', title: `Title \x1b]0;pwned\x07`, publisher: 'P\x1b[5m', author: null, date: '2024-03-04', url: 'https://news.example/a', score: 0.5, relevance: 0.5, quote: HOSTILE, start: 3, end: 3 + HOSTILE.length, ...fields }],
});

describe('answerToText', () => {
  it('shows the control characters of quotes, titles, publishers and ids instead of sending them to the terminal', () => {
    const text = answerToText(answer());
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('“Prices rose ␛[31msharply␛[0m, see ␛]8;;https://evil.example␇here␛]8;;␇.\\x9b2J”');
    expect(text).toContain('— Title ␛]0;pwned␇');
  });

  it('does the same for the closest articles of an unanswered question', () => {
    const text = answerToText({ question: 'q', answered: false, results: [], nearest: [{ id: 'a\x1b[2J', title: 'T\x1b[31m', relevance: 0.1 }] });
    expect(text).toContain('  - T␛[31m (a␛[2J)');
  });
});

describe('answerToJson', () => {
  it('keeps the quote exactly as in the file (JSON escapes the controls), so offsets stay exact', () => {
    const parsed = JSON.parse(answerToJson(answer()));
    expect(parsed.results[0].quote).toBe(HOSTILE);
    expect(parsed.results[0].end - parsed.results[0].start).toBe(HOSTILE.length);
    expect(answerToJson(answer())).not.toMatch(/[\u0000-\u001f]/);
  });
});
