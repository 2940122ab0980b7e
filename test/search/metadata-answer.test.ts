import { describe, expect, it } from 'vitest';
import type { AnswerResult } from '../../src/core/types.js';
import { answerFromMetadata, withoutOverlaps } from '../../src/search/metadata-answer.js';

const TEXT =
  '---\nauthor: Priya Halvorsen\n---\n\n# Lighthouse to become a museum\n\nThe tower reopens next summer. It was dark since 2009.\n';
const BODY = TEXT.indexOf('# Lighthouse');
const doc = {
  id: 'lighthouse',
  title: 'Lighthouse to become a museum',
  publisher: null,
  author: 'Priya Halvorsen',
  date: null,
  url: null,
  bodyStart: BODY,
};

function result(docId: string, start: number | null, end: number | null, fields: Partial<AnswerResult> = {}): AnswerResult {
  const quote = start === null || end === null ? null : TEXT.slice(start, end);
  return {
    rank: 0,
    docId,
    title: 't',
    publisher: null,
    author: 'Priya Halvorsen',
    date: null,
    url: null,
    link: null,
    alsoPublishedBy: [],
    score: 0.5,
    relevance: 0.5,
    quote,
    start,
    end,
    ...fields,
  };
}

describe('answerFromMetadata', () => {
  const passage = result('lighthouse', TEXT.indexOf('The tower'), TEXT.indexOf(' It was'));

  it('shows the field without a quote when only the front matter states it', () => {
    expect(answerFromMetadata(passage, TEXT, doc, 'author')).toMatchObject({
      quote: null,
      start: null,
      end: null,
      fromMetadata: 'author',
      author: 'Priya Halvorsen',
    });
  });

  it('quotes the byline when the text has one', () => {
    const text = TEXT.replace('The tower', 'By Priya Halvorsen\n\nThe tower');
    const answered = answerFromMetadata(passage, text, doc, 'author');
    expect(answered.quote).toBe('By Priya Halvorsen');
    expect(text.slice(answered.start!, answered.end!)).toBe(answered.quote);
    expect(answered.fromMetadata).toBeUndefined();
  });

  it('keeps the passage when the metadata does not know the field', () => {
    expect(answerFromMetadata(passage, TEXT, doc, 'date')).toEqual(passage);
  });
});

describe('withoutOverlaps', () => {
  it('drops a later result of the same document that overlaps an earlier one, or repeats its metadata', () => {
    const a = result('x', 10, 30);
    const overlapping = result('x', 29, 40);
    const touching = result('x', 30, 40);
    const elsewhere = result('y', 10, 30);
    const fromMetadata = result('x', null, null, { fromMetadata: 'author' });
    const again = result('x', null, null, { fromMetadata: 'author' });
    expect(withoutOverlaps([a, overlapping, touching, elsewhere, fromMetadata, again])).toEqual([a, touching, elsewhere, fromMetadata]);
  });
});
