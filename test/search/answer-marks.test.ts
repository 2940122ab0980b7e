import { describe, expect, it } from 'vitest';
import type { QuoteReader } from '../../src/embedding/reader.js';
import { markAnswers } from '../../src/search/answer-marks.js';
import type { Passage } from '../../src/search/quote-selection.js';

const TEXT = 'Russia and Cuba. Russia sent aid. It gave 25,000 tonnes of wheat. Prices rose.';
// The sentences of TEXT (title line first).
const SENTENCES = [
  { start: 0, end: 16 },
  { start: 17, end: 33 },
  { start: 34, end: 65 },
  { start: 66, end: 78 },
];
const documentOf = () => ({ title: 'Russia and Cuba', sentences: SENTENCES });

function passage(answerSentence: number | null, reader: number | null = 1): Passage {
  const window = { firstSentence: 1, lastSentence: 3, start: 17, end: 65, chance: 0.5, value: 0.5 };
  const answer = answerSentence === null ? null : { start: 17, end: 23 }; // the reader's own mark
  return { docId: 'a', text: TEXT, window, relevance: 0.5, score: 0.5, reader, answer, answerSentence, scoredReader: reader };
}

/** A marker that marks the first number of each sentence and records what it was asked to read. */
function fakeMarker(marks = true) {
  const calls: Array<{ sentences: string[]; contexts: string[] }> = [];
  const reader = {
    marks,
    mark: async (_question: string, sentences: string[], contexts: string[] = []) => {
      calls.push({ sentences, contexts });
      return sentences.map((s) => {
        const found = /\d[\d,]*/.exec(s);
        return found ? { start: found.index, end: found.index + found[0].length } : null;
      });
    },
  } as unknown as QuoteReader;
  return { reader, calls };
}

describe('markAnswers', () => {
  it("marks the best-read sentence of each passage with the marker's mark, as offsets into the text", async () => {
    const { reader, calls } = fakeMarker();
    const [marked] = await markAnswers(reader, 'How much wheat?', [passage(2)], 5, documentOf);
    expect(TEXT.slice(marked!.answer!.start, marked!.answer!.end)).toBe('25,000');
    // It read that sentence once, after the context the reader read it with (title and the sentence before).
    expect(calls).toEqual([{ sentences: ['It gave 25,000 tonnes of wheat.'], contexts: ['Russia and Cuba. Russia sent aid.'] }]);
  });

  it('reads all the passages it marks in one call, and only the first `limit`; the others and unread ones carry no mark', async () => {
    const { reader, calls } = fakeMarker();
    const out = await markAnswers(reader, 'q', [passage(2), passage(null, null), passage(1), passage(2)], 3, documentOf);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.sentences).toEqual(['It gave 25,000 tonnes of wheat.', 'Russia sent aid.']);
    expect(out.map((p) => p.answer)).toEqual([{ start: 42, end: 48 }, null, null, null]);
  });

  it("keeps the reader's own marks when there is no marker", async () => {
    const { reader, calls } = fakeMarker(false);
    const out = await markAnswers(reader, 'q', [passage(2)], 5, documentOf);
    expect(out[0]!.answer).toEqual({ start: 17, end: 23 });
    expect(calls).toHaveLength(0);
    expect((await markAnswers(undefined, 'q', [passage(2)], 5, documentOf))[0]!.answer).toEqual({ start: 17, end: 23 });
  });
});
