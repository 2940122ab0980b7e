import { describe, expect, it } from 'vitest';
import { answerScore, bestWindow, chances, type QuoteWeights, sentenceScore } from '../../src/search/passages.js';

const weights: QuoteWeights = {
  models: { a: 1, b: 0.5 },
  bm25: 1,
  chunk: 0.25,
  answerType: 2,
  coverage: 3,
  pairs: 1,
  logChars: -0.5,
  novelty: 0.5,
  perHundredChars: 0,
  maxSentences: 3,
  score: { chance: 1, relevance: 0, bias: 0 },
};
// Five sentences of 50 characters each, one space apart.
const sentences = Array.from({ length: 5 }, (_, i) => ({ start: i * 51, end: i * 51 + 50 }));
const always = () => true;
const signals = {
  models: [
    { model: 'a', z: 2 },
    { model: 'b', z: 4 },
  ],
  bm25: 1,
  chunk: 4,
  answerType: 1,
  coverage: 0.5,
  pairs: 1,
  logChars: 2,
  novelty: 0.2,
};

describe('sentenceScore', () => {
  it('is the weighted sum of every signal', () => {
    expect(sentenceScore(signals, weights)).toBeCloseTo(2 + 2 + 1 + 1 + 2 + 1.5 + 1 - 1 + 0.1, 10);
  });

  it('weighs a model missing from the weights 1', () => {
    expect(
      sentenceScore({ ...signals, models: [{ model: 'c', z: 3 }] }, weights) - sentenceScore({ ...signals, models: [] }, weights),
    ).toBeCloseTo(3, 10);
  });
});

describe('chances', () => {
  it('is a softmax over every sentence of every document together', () => {
    const [first, second] = chances([
      new Map([
        [0, 0],
        [1, Math.log(2)],
      ]),
      new Map([[7, Math.log(5)]]),
    ]);
    expect(first!.get(0)).toBeCloseTo(1 / 8, 10);
    expect(first!.get(1)).toBeCloseTo(2 / 8, 10);
    expect(second!.get(7)).toBeCloseTo(5 / 8, 10);
  });

  it('does not overflow on large scores', () => {
    const [only] = chances([
      new Map([
        [0, 1000],
        [1, 1000],
      ]),
    ]);
    expect(only!.get(0)).toBeCloseTo(0.5, 10);
  });
});

describe('bestWindow', () => {
  it('takes the best sentence alone when a neighbour adds less chance than its length costs', () => {
    const chance = new Map([
      [0, 0.02],
      [1, 0.05],
      [2, 0.8],
      [3, 0.1],
    ]);
    expect(bestWindow(sentences, chance, { ...weights, perHundredChars: 0.25 }, always)).toMatchObject({
      firstSentence: 2,
      lastSentence: 3,
      start: 102,
      end: 152,
      chance: 0.8,
    });
  });

  it('adds neighbours whose chance pays for their length, up to maxSentences', () => {
    const chance = new Map([
      [0, 0.01],
      [1, 0.3],
      [2, 0.35],
      [3, 0.3],
      [4, 0.04],
    ]);
    expect(bestWindow(sentences, chance, { ...weights, perHundredChars: 0.1 }, always)).toMatchObject({
      firstSentence: 1,
      lastSentence: 4,
    });
    expect(bestWindow(sentences, chance, { ...weights, perHundredChars: 0.1, maxSentences: 2 }, always)).toMatchObject({
      firstSentence: 1,
      lastSentence: 3,
    });
    // A high price keeps the single best sentence.
    expect(bestWindow(sentences, chance, { ...weights, perHundredChars: 0.7 }, always)).toMatchObject({
      firstSentence: 2,
      lastSentence: 3,
    });
  });

  it('never joins sentences that are not adjoining in the text, nor ones without a chance', () => {
    const chance = new Map([
      [1, 0.3],
      [2, 0.3],
      [4, 0.3],
    ]);
    const window = bestWindow(sentences, chance, weights, (i) => i !== 1)!;
    expect(window.lastSentence - window.firstSentence).toBe(1);
    expect(
      bestWindow(
        sentences,
        new Map([
          [0, 0.5],
          [2, 0.5],
        ]),
        weights,
        always,
      )!.lastSentence,
    ).toBe(1);
  });

  it('returns null when no sentence has a chance', () => {
    expect(bestWindow(sentences, new Map(), weights, always)).toBeNull();
  });
});

describe('answerScore', () => {
  it('rises with the chance and with relevance', () => {
    const model = { chance: 4, relevance: 3, bias: -5 };
    expect(answerScore(0.8, 0.5, model)).toBeGreaterThan(answerScore(0.4, 0.5, model));
    expect(answerScore(0.4, 0.6, model)).toBeGreaterThan(answerScore(0.4, 0.5, model));
    expect(answerScore(0.4, 0.5, model)).toBeGreaterThan(0);
    expect(answerScore(0.4, 0.5, model)).toBeLessThan(1);
  });
});
