import { describe, expect, it } from 'vitest';
import { isIsoDate, normalizeDate, toIsoDate } from '../../src/core/dates.js';

describe('isIsoDate', () => {
  it('accepts real calendar dates written YYYY-MM-DD', () => {
    for (const date of ['2023-04-20', '2024-02-29', '2000-02-29', '1999-12-31', '2023-01-01', '0050-06-15'])
      expect(isIsoDate(date), date).toBe(true);
  });

  it('rejects days the calendar does not have', () => {
    for (const date of ['2023-02-31', '2023-02-29', '1900-02-29', '2023-04-31', '2023-13-01', '2023-00-10', '2023-01-00', '2023-01-32']) {
      expect(isIsoDate(date), date).toBe(false);
    }
  });

  it('rejects other spellings of a date', () => {
    for (const text of ['2023-4-20', '20 April 2023', '2023/04/20', '2023-04-20T00:00', ' 2023-04-20', ''])
      expect(isIsoDate(text), text).toBe(false);
  });
});

describe('toIsoDate and normalizeDate', () => {
  it('turn the date shapes of feeds, pages and exports into YYYY-MM-DD, keeping the calendar date as written', () => {
    expect(toIsoDate('2024', 'feb', '9')).toBe('2024-02-09');
    expect(toIsoDate('0050', '6', '15')).toBe('0050-06-15');
    const shapes = [
      '2024-05-02',
      '2024-05-02T23:30:00-05:00',
      '2024/5/2',
      'Thu, 02 May 2024 14:00:00 GMT',
      '2nd May 2024',
      'Thursday, May 2, 2024',
      '02-MAY-2024 15:01:01.79',
    ];
    for (const text of shapes) expect(normalizeDate(text), text).toBe('2024-05-02');
  });

  it('give null for what is not a real date', () => {
    for (const value of ['2023-02-29', '31 April 2024', 'yesterday', '', 20240502, null])
      expect(normalizeDate(value), String(value)).toBeNull();
    expect(toIsoDate('2022', '13', '01')).toBeNull();
  });
});
