import { describe, expect, it } from 'vitest';
import { DEFAULT_RESULTS, MAX_RESULTS, validateAskOptions } from '../../src/core/ask-options.js';
import { UserError } from '../../src/core/errors.js';

/** The message of the UserError that `validateAskOptions` throws (fails the test if it does not). */
function problem(...args: Parameters<typeof validateAskOptions>): string {
  try {
    validateAskOptions(...args);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('validateAskOptions', () => {
  it('defaults to three results out of at most fifty', () => {
    expect(DEFAULT_RESULTS).toBe(3);
    expect(MAX_RESULTS).toBe(50);
    expect(validateAskOptions({})).toEqual({});
  });

  it('accepts k from 1 to 50 and nothing else', () => {
    expect(validateAskOptions({ k: 1 })).toEqual({ k: 1 });
    expect(validateAskOptions({ k: 50 })).toEqual({ k: 50 });
    for (const k of [0, 51, -1, 2.5, Number.NaN]) expect(problem({ k })).toBe('k must be a whole number from 1 to 50');
  });

  it('names the option the way the adapter spells it', () => {
    expect(problem({ k: 0 }, (option) => `--${option}`)).toBe('--k must be a whole number from 1 to 50');
    expect(problem({ after: 'soon' }, (option) => `\`${option}\``)).toBe('`after` must be a date like 2023-04-20');
  });

  it('checks dates on the calendar', () => {
    expect(validateAskOptions({ after: '2024-02-29', before: '2024-03-01' })).toEqual({ after: '2024-02-29', before: '2024-03-01' });
    expect(problem({ after: '2023-02-30' })).toBe('after 2023-02-30 does not exist: February 2023 has 28 days');
    expect(problem({ after: '2024-02-30' })).toBe('after 2024-02-30 does not exist: February 2024 has 29 days');
    expect(problem({ after: '1900-02-29' })).toBe('after 1900-02-29 does not exist: February 1900 has 28 days');
    expect(problem({ before: '2023-04-31' }, (option) => `--${option}`)).toBe('--before 2023-04-31 does not exist: April 2023 has 30 days');
    expect(problem({ before: '2023-13-45' })).toBe('before 2023-13-45 does not exist: months go from 01 to 12');
    expect(problem({ before: '2023-05-00' })).toBe('before 2023-05-00 does not exist: days start at 01');
    expect(problem({ before: '18 Feb 2022' })).toBe('before must be a date like 2023-04-20');
  });

  it('allows after equal to before (that one day) but not after later than before', () => {
    expect(validateAskOptions({ after: '2022-02-18', before: '2022-02-18' })).toEqual({ after: '2022-02-18', before: '2022-02-18' });
    expect(problem({ after: '2022-02-19', before: '2022-02-18' })).toBe('after must not be later than before');
  });

  it('trims the filters and drops blank ones, keeping the other options', () => {
    expect(
      validateAskOptions({ publisher: '  Prensa Latina ', after: ' 2020-09-28 ', before: '  ', allowSameDocument: true, k: 30 }),
    ).toEqual({
      publisher: 'Prensa Latina',
      after: '2020-09-28',
      allowSameDocument: true,
      k: 30,
    });
    expect(validateAskOptions({ publisher: '   ', allowSameDocument: false })).toEqual({ allowSameDocument: false });
    expect(validateAskOptions({ claim: true })).toEqual({ claim: true });
  });
});
