import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { asksAQuestion, isKeywordQuery, MAX_QUESTION_CHARS, validateQuestion } from '../../src/search/question.js';

describe('asksAQuestion', () => {
  it('reads a message that ends in a question mark as a question, and anything else as a claim', () => {
    expect(asksAQuestion('Did Moscow send planes to Cuba?')).toBe(true);
    expect(asksAQuestion('Moscow sent planes to Cuba, right? \n')).toBe(true);
    expect(asksAQuestion('Moscow sent five planes to Cuba.')).toBe(false);
    expect(asksAQuestion('Why? Because Moscow sent five planes to Cuba')).toBe(false);
  });
});

describe('validateQuestion', () => {
  it('trims, and refuses empty and over-long text with one line', () => {
    expect(validateQuestion('  wheat \n')).toBe('wheat');
    expect(() => validateQuestion(' \n ')).toThrow(UserError);
    expect(() => validateQuestion('x'.repeat(MAX_QUESTION_CHARS + 1))).toThrow(/limit is 2000/);
  });
});

describe('isKeywordQuery', () => {
  it('reads a query without a question mark or question word as keywords', () => {
    for (const query of ['wheat', 'tonnes of wheat', 'Grupo GAZ', 'Russian military base in Cuba'])
      expect(isKeywordQuery(query), query).toBe(true);
    for (const query of ['How much wheat?', 'who won the final', 'Which club won the group', 'wheat?'])
      expect(isKeywordQuery(query), query).toBe(false);
  });
});
