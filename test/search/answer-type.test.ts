import { describe, expect, it } from 'vitest';
import { expectedAnswerType, holdsAnswerType } from '../../src/search/answer-type.js';

describe('expectedAnswerType', () => {
  it.each([
    ['How many tons of aid did Russia send?', 'number'],
    ['What percentage of children live in poverty?', 'number'],
    ['When did Putin visit Havana?', 'date'],
    ['In what year did the war end?', 'date'],
    ['Who is the spokeswoman of the ministry?', 'name'],
    ['Where will the next session be held?', 'name'],
    ['What did Maduro assure Russia of?', null],
    ['Why did the talks fail?', null],
  ])('%s → %s', (question, type) => {
    expect(expectedAnswerType(question)).toBe(type);
  });
});

describe('holdsAnswerType', () => {
  it('wants a number the question does not already give', () => {
    expect(holdsAnswerType('Russia sent some 200 tons of aid.', 'number', 'How many tons did Russia send?')).toBe(1);
    expect(holdsAnswerType('Russia sent aid in 2021.', 'number', 'How much aid did Russia send in 2021?')).toBe(0);
    expect(holdsAnswerType('Russia sent aid to the island.', 'number', 'How much aid did Russia send?')).toBe(0);
  });

  it('wants a year, a month or a century for a date', () => {
    expect(holdsAnswerType('Putin visited Havana in 2014.', 'date', 'When did Putin visit Havana?')).toBe(1);
    expect(holdsAnswerType('It happened in late September.', 'date', 'When did it happen?')).toBe(1);
    expect(holdsAnswerType('Putin visited Havana once.', 'date', 'When did Putin visit Havana?')).toBe(0);
  });

  it('wants a capitalised name that is not in the question and not merely the first word', () => {
    expect(holdsAnswerType('The spokeswoman, Maria Zajarova, spoke.', 'name', 'Who is the spokeswoman?')).toBe(1);
    expect(holdsAnswerType('Russia said the talks went well.', 'name', 'Who said the talks went well?')).toBe(0);
    expect(holdsAnswerType('The talks with Russia went well.', 'name', 'Who held talks with Russia?')).toBe(0);
  });
});
