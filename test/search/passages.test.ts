import { describe, expect, it } from 'vitest';
import { bestWindow, sentenceScore, type QuoteWeights } from '../../src/search/passages.js';

const weights: QuoteWeights = { models: { a: 1, b: 0.5 }, bm25: 1, chunk: 0.25, answerType: 2, softness: 0, perHundredChars: 0, maxSentences: 3, score: { value: 1, relevance: 0, bias: 0 } };
// Five sentences of 50 characters each, one space apart.
const sentences = Array.from({ length: 5 }, (_, i) => ({ start: i * 51, end: i * 51 + 50 }));
const always = () => true;

describe('sentenceScore', () => {
  it('is the weighted sum of the model, BM25, chunk and answer-type signals', () => {
    expect(sentenceScore({ sentence: 0, models: [{ model: 'a', z: 2 }, { model: 'b', z: 4 }], bm25: 1, chunk: 4, answerType: 1 }, weights)).toBe(2 + 2 + 1 + 1 + 2);
  });
});

describe('bestWindow', () => {
  it('takes the best sentence alone when neighbours add nothing (softness 0)', () => {
    const scored = new Map([[0, 0.1], [1, 0.3], [2, 2], [3, 0.5]]);
    expect(bestWindow(sentences, scored, weights, always)).toMatchObject({ firstSentence: 2, lastSentence: 3, start: 102, end: 152, best: 2 });
  });

  it('grows toward strong neighbours when the soft maximum lets them add up, and a length price shrinks it again', () => {
    const scored = new Map([[0, -3], [1, 1.9], [2, 2], [3, 1.8], [4, -3]]);
    const soft = { ...weights, softness: 1 };
    expect(bestWindow(sentences, scored, soft, always)).toMatchObject({ firstSentence: 1, lastSentence: 4 });
    expect(bestWindow(sentences, scored, { ...soft, perHundredChars: 2 }, always)).toMatchObject({ firstSentence: 2, lastSentence: 3 });
  });

  it('never joins sentences that are not adjoining in the text, nor unscored ones', () => {
    const scored = new Map([[1, 2], [2, 2], [4, 2]]);
    const soft = { ...weights, softness: 1 };
    const window = bestWindow(sentences, scored, soft, (i) => i !== 1)!;
    expect(window.lastSentence - window.firstSentence).toBe(1);
    expect(bestWindow(sentences, new Map([[0, 1], [2, 1]]), soft, always)!.lastSentence - 0).toBeLessThanOrEqual(3);
  });

  it('returns null when no sentence is scored', () => {
    expect(bestWindow(sentences, new Map(), weights, always)).toBeNull();
  });
});
