import { describe, expect, it } from 'vitest';
import { overlap, questionTerms } from '../../src/search/overlap.js';

// IDF 1 for every term except "cathedral" (3): rare words count more.
const idf = (term: string) => (term === 'cathedr' ? 3 : 1);

describe('overlap', () => {
  const question = questionTerms('When was the cathedral of Cologne finished?', idf);

  it('is the IDF-weighted share of the question terms the sentence holds', () => {
    // Terms: cathedr (3), cologn (1), finish (1).
    expect(overlap(question, 'The cathedral was built slowly.').coverage).toBeCloseTo(3 / 5, 10);
    expect(overlap(question, 'Cologne finished its cathedral in 1880.').coverage).toBeCloseTo(1, 10);
    expect(overlap(question, 'Nothing to see here.').coverage).toBe(0);
  });

  it('counts the question term pairs found adjoining in the sentence, in order', () => {
    // Pairs: "cathedr cologn", "cologn finish".
    expect(overlap(question, 'The cathedral of Cologne was finished in 1880.').pairs).toBeCloseTo(1, 10);
    expect(overlap(question, 'Cologne: the cathedral was finished in 1880.').pairs).toBe(0);
  });

  it('gives the share of sentence terms the question lacks', () => {
    // Terms: cologn, finish, cathedr, 1880 → one of four is new.
    expect(overlap(question, 'Cologne finished its cathedral in 1880.').novelty).toBeCloseTo(1 / 4, 10);
  });

  it('is zero, not NaN, for a question or sentence without terms', () => {
    const empty = questionTerms('what is it?', idf);
    expect(overlap(empty, 'Anything at all.')).toEqual({ coverage: 0, pairs: 0, novelty: 1 });
    expect(overlap(question, '...')).toEqual({ coverage: 0, pairs: 0, novelty: 0 });
  });
});
