import { describe, expect, it } from 'vitest';
import { covers, withoutUnreadAlone } from '../../src/search/abstention.js';
import type { Passage } from '../../src/search/quote-selection.js';
import { READER_ABSTENTION } from '../../src/search/quote-weights.js';

const TEXT = 'Russia gave an emergency donation of 25,000 tonnes of wheat last month.';
const settings = { minRelevance: 0.3, abstention: READER_ABSTENTION };
const idf = () => 1;

function passage(relevance: number, reader: number | null, score = 0.5): Passage {
  const window = { firstSentence: 0, lastSentence: 1, start: 0, end: TEXT.length, chance: 0.5, value: 0.5 };
  return { docId: 'a', text: TEXT, window, relevance, score, reader, answer: null, answerSentence: null, scoredReader: reader };
}

describe('"not covered" (covers)', () => {
  const { refuseBelow, answerAbove, relevanceMargin } = READER_ABSTENTION;
  const unsure = (refuseBelow + answerAbove) / 2;

  it('lets relevance decide a passage the reader did not read, unless it holds every word of the query', () => {
    expect(covers('Who won the 2022 final?', passage(0.31, null), settings, idf)).toBe(true);
    expect(covers('Who won the 2022 final?', passage(0.29, null), settings, idf)).toBe(false);
    // Keywords are not read (quote-selection.ts), and a single word's cosine with a sentence is low.
    expect(covers('wheat', passage(0.2, null), settings, idf)).toBe(true);
    expect(covers('barley', passage(0.2, null), settings, idf)).toBe(false);
  });

  it('refuses what the reader refuses, however relevant, and quotes what it answers, however far', () => {
    expect(covers('Who won the 2022 final?', passage(0.9, refuseBelow - 0.1), settings, idf)).toBe(false);
    expect(covers('Who won the 2022 final?', passage(0.1, answerAbove), settings, idf)).toBe(true);
  });

  it('asks more relevance when the reader is unsure: another subject is often as close as the bare threshold', () => {
    expect(covers('Who won the 2022 final?', passage(0.3 + relevanceMargin - 0.01, unsure), settings, idf)).toBe(false);
    expect(covers('Who won the 2022 final?', passage(0.3 + relevanceMargin, unsure), settings, idf)).toBe(true);
  });

  it('counts a passage whose article lacks a name of the question as the reader being less sure', () => {
    const rule = { ...settings, abstention: { ...READER_ABSTENTION, namesMissingPenalty: 3 } };
    const question = 'How many tonnes did Russia send to Venezuela?';
    // Sure enough to quote whatever the relevance, unless the name is missing.
    expect(covers(question, passage(0.1, answerAbove + 1), rule, idf, false)).toBe(true);
    expect(covers(question, passage(0.1, answerAbove + 1), rule, idf, true)).toBe(false);
    // Far enough above refusal, even without the name, when relevance clears the margin.
    expect(covers(question, passage(0.9, refuseBelow + 3), rule, idf, true)).toBe(true);
    expect(covers(question, passage(0.9, refuseBelow + 2.9), rule, idf, true)).toBe(false);
  });

  it('never quotes a passage whose score is under the least score, however sure the reader', () => {
    const rule = { ...settings, abstention: { ...READER_ABSTENTION, minScore: 0.1 } };
    expect(covers('Who won the 2022 final?', passage(0.9, answerAbove + 5, 0.09), rule, idf)).toBe(false);
    expect(covers('Who won the 2022 final?', passage(0.9, answerAbove + 5, 0.1), rule, idf)).toBe(true);
    // Without the reader, relevance alone decides, as before.
    expect(covers('Who won the 2022 final?', passage(0.9, null, 0.01), rule, idf)).toBe(true);
  });

  it('quotes an unsure passage that holds every word of the question (a keyword question)', () => {
    expect(covers('tonnes of wheat', passage(0.2, unsure), settings, idf)).toBe(true);
    expect(covers('tonnes of barley', passage(0.2, unsure), settings, idf)).toBe(false);
  });
});

describe('passages the reader did not read (withoutUnreadAlone)', () => {
  const read = passage(0.5, -1);
  const refused = passage(0.5, READER_ABSTENTION.refuseBelow - 1);
  const unread = passage(0.4, null);

  it('may join a passage the reader let through', () => {
    expect(withoutUnreadAlone([read, unread], [read, unread])).toEqual([read, unread]);
  });

  it('may not answer alone when the reader refused every passage it read', () => {
    expect(withoutUnreadAlone([unread], [refused, unread])).toEqual([]);
  });

  it('decide alone when the reader did not run (none loaded, or a question about an article)', () => {
    expect(withoutUnreadAlone([unread], [unread, passage(0.2, null)])).toEqual([unread]);
  });
});
