import { describe, expect, it } from 'vitest';
import { isIsoDate } from '../../src/core/dates.js';

describe('isIsoDate', () => {
  it('accepts real calendar dates written YYYY-MM-DD', () => {
    for (const date of ['2023-04-20', '2024-02-29', '2000-02-29', '1999-12-31', '2023-01-01', '0050-06-15']) expect(isIsoDate(date), date).toBe(true);
  });

  it('rejects days the calendar does not have', () => {
    for (const date of ['2023-02-31', '2023-02-29', '1900-02-29', '2023-04-31', '2023-13-01', '2023-00-10', '2023-01-00', '2023-01-32']) {
      expect(isIsoDate(date), date).toBe(false);
    }
  });

  it('rejects other spellings of a date', () => {
    for (const text of ['2023-4-20', '20 April 2023', '2023/04/20', '2023-04-20T00:00', ' 2023-04-20', '']) expect(isIsoDate(text), text).toBe(false);
  });
});
