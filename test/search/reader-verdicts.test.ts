import { describe, expect, it } from 'vitest';
import type { ReaderVerdict } from '../../src/embedding/reader.js';
import { readerVerdict, soleAnswer } from '../../src/search/reader-verdicts.js';

/** One document's verdicts from [sentence number, logit] pairs. */
const read = (...pairs: Array<[number, number]>) => new Map<number, ReaderVerdict>(pairs.map(([i, score]) => [i, { score, answer: null }]));
const RULE = { above: 2, margin: 2 };

describe('soleAnswer', () => {
  it('names the best sentence when it is sure and far above every other sentence read, in any document', () => {
    expect(soleAnswer([read([0, 0.9], [2, 3.4]), read([5, 0.5])], RULE)).toEqual({ d: 0, i: 2 });
    expect(soleAnswer([read([0, -1]), read([7, 1.2], [5, 4])], RULE)).toEqual({ d: 1, i: 5 });
  });

  it('names none when another sentence comes within the margin, even in another document', () => {
    expect(soleAnswer([read([0, 3.5], [1, -4]), read([3, 1.6])], RULE)).toBeNull();
    expect(soleAnswer([read([0, 3], [1, 3])], RULE)).toBeNull();
  });

  it('names none when the best logit is under `above`, or nothing was read', () => {
    expect(soleAnswer([read([0, 1.9], [1, -5])], RULE)).toBeNull();
    expect(soleAnswer([new Map(), new Map()], RULE)).toBeNull();
  });

  it('names the only sentence read when it reaches `above`', () => {
    expect(soleAnswer([new Map(), read([4, 2])], RULE)).toEqual({ d: 1, i: 4 });
  });
});

describe('readerVerdict', () => {
  const sentences = [
    { start: 0, end: 10 },
    { start: 11, end: 30 },
    { start: 31, end: 50 },
  ];

  it("gives the window's best logit and its answer as offsets into the text", () => {
    const verdicts = new Map<number, ReaderVerdict>([
      [0, { score: 1, answer: { start: 0, end: 3, logit: 2 } }],
      [1, { score: 2.5, answer: { start: 4, end: 9, logit: 5 } }],
    ]);
    expect(readerVerdict(verdicts, { firstSentence: 0, lastSentence: 2 }, sentences)).toEqual({
      reader: 2.5,
      sentence: 1,
      answer: { start: 15, end: 20 },
    });
  });

  it('gives null when the reader read none of the window', () => {
    expect(readerVerdict(read([0, 3]), { firstSentence: 1, lastSentence: 3 }, sentences)).toEqual({
      reader: null,
      sentence: null,
      answer: null,
    });
  });
});
