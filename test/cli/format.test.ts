import { describe, expect, it } from 'vitest';
import { answerToJson, answerToText } from '../../src/cli/format.js';
import type { Answer } from '../../src/core/types.js';

const HOSTILE = 'Prices rose \x1b[31msharply\x1b[0m, see \x1b]8;;https://evil.example\x07here\x1b]8;;\x07.\x9b2J';

const answer = (fields: Partial<Answer['results'][number]> = {}): Answer => ({
  question: 'q',
  answered: true,
  nearest: [],
  results: [
    {
      rank: 1,
      docId: 'doc\x1b[2J',
      title: `Title \x1b]0;pwned\x07`,
      publisher: 'P\x1b[5m',
      author: null,
      date: '2024-03-04',
      url: 'https://news.example/a',
      link: 'https://news.example/a',
      alsoPublishedBy: [],
      score: 0.5,
      relevance: 0.5,
      quote: HOSTILE,
      start: 3,
      end: 3 + HOSTILE.length,
      ...fields,
    },
  ],
});

describe('answerToText', () => {
  it('shows the control characters of quotes, titles, publishers and ids instead of sending them to the terminal', () => {
    const text = answerToText(answer());
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('“Prices rose ␛[31msharply␛[0m, see ␛]8;;https://evil.example␇here␛]8;;␇.\\x9b2J”');
    expect(text).toContain('— Title ␛]0;pwned␇');
  });

  it('does the same for the closest articles of an unanswered question', () => {
    const text = answerToText({
      question: 'q',
      answered: false,
      results: [],
      nearest: [{ id: 'a\x1b[2J', title: 'T\x1b[31m', relevance: 0.1 }],
    });
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

describe('the answer the reader marks inside a quote', () => {
  const quote = 'Russia gave 25,000 tonnes of wheat last month.';
  const marked = (extra: Partial<Answer['results'][number]> = {}) =>
    answer({ quote, start: 100, end: 100 + quote.length, answer: { start: 112, end: 125 }, ...extra });

  it('is bold in a terminal, and only there', () => {
    expect(answerToText(marked(), { bold: true })).toContain('“Russia gave \x1b[1m25,000 tonnes\x1b[22m of wheat last month.”');
    expect(answerToText(marked())).toContain(`“${quote}”`);
  });

  it('cannot be faked by an article: its own private-use marks are dropped and nothing is bolded', () => {
    const sneaky = 'A \uE000bold\uE001 claim.';
    const text = answerToText(answer({ quote: sneaky, start: 0, end: sneaky.length, answer: { start: 2, end: 8 } }), { bold: true });
    expect(text).toContain('“A bold claim.”');
    expect(text).not.toContain('\x1b');
  });

  it('is in the JSON as file offsets inside the quote, and absent when none is marked', () => {
    const parsed = JSON.parse(answerToJson(marked()));
    expect(parsed.results[0].answer).toEqual({ start: 112, end: 125 });
    expect(quote.slice(112 - 100, 125 - 100)).toBe('25,000 tonnes');
    expect(JSON.parse(answerToJson(answer())).results[0]).not.toHaveProperty('answer');
  });
});

describe('the link to the quoted words', () => {
  const link = 'https://news.example/a#:~:text=Prices%20rose,here';

  it('stands beside the URL in the JSON, and in place of it in the text', () => {
    const keys = Object.keys(JSON.parse(answerToJson(answer({ link }))).results[0]);
    expect(keys.slice(keys.indexOf('url'), keys.indexOf('url') + 2)).toEqual(['url', 'link']);
    expect(JSON.parse(answerToJson(answer({ link }))).results[0].link).toBe(link);
    expect(answerToText(answer({ link }))).toContain(`\n     ${link}`);
    expect(answerToText(answer({ url: null, link: null }))).not.toContain('news.example');
  });
});
