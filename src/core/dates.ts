const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date written YYYY-MM-DD that exists on the calendar: 2024-02-29 passes, 2023-02-31 does not. */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  // Impossible days roll over into the next month, so a round trip exposes them. (setUTCFullYear,
  // unlike Date.UTC, takes years 0-99 literally.)
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * Why a value shaped YYYY-MM-DD is not on the calendar ("February 2023 has 28 days"), or null when
 * it is a real date or not shaped like one at all.
 */
export function missingDateReason(value: string): string | null {
  const match = ISO_DATE.exec(value);
  if (!match || isIsoDate(value)) return null;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (month < 1 || month > 12) return 'months go from 01 to 12';
  if (day === 0) return 'days start at 01';
  // February by the leap-year rule; any other month has the same length every year (2001 here).
  const days = month === 2 ? (isIsoDate(`${match[1]}-02-29`) ? 29 : 28) : new Date(Date.UTC(2001, month, 0)).getUTCDate();
  return `${MONTH_NAMES[month - 1]} ${year} has ${days} days`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Year, month (number or name) and day as a valid ISO date, or null. */
export function toIsoDate(year: string, month: string, day: string): string | null {
  const monthNumber = /^\d+$/.test(month) ? Number(month) : MONTHS.indexOf(month.slice(0, 3).toLowerCase()) + 1;
  const iso = `${year.padStart(4, '0')}-${String(monthNumber).padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';

/** Date shapes metadata comes in, each turned into [year, month, day]. The calendar date as written is kept (no time-zone shift). */
const SHAPES: Array<{ pattern: RegExp; parts: (m: RegExpMatchArray) => [string, string, string] }> = [
  // ISO 8601, with or without a time: "2024-05-02", "2024-05-02T23:30:00-05:00"
  { pattern: /^(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])/, parts: (m) => [m[1]!, m[2]!, m[3]!] },
  // "2024/05/02"
  { pattern: /^(\d{4})\/(\d{1,2})\/(\d{1,2})\b/, parts: (m) => [m[1]!, m[2]!, m[3]!] },
  // RFC 822 (RSS pubDate) and similar: "Thu, 02 May 2024 14:00:00 GMT", "2 May 2024"
  {
    pattern: new RegExp(`^(?:[a-z]{3,9},?\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH},?\\s+(\\d{4})\\b`, 'i'),
    parts: (m) => [m[3]!, m[2]!, m[1]!],
  },
  // "May 2, 2024", "Thursday, May 2, 2024"
  {
    pattern: new RegExp(`^(?:[a-z]{3,9},?\\s+)?${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i'),
    parts: (m) => [m[3]!, m[1]!, m[2]!],
  },
  // Newswire style: "26-FEB-1987 15:01:01.79"
  { pattern: new RegExp(`^(\\d{1,2})-${MONTH}-(\\d{4})\\b`, 'i'), parts: (m) => [m[3]!, m[2]!, m[1]!] },
];

/**
 * A publication date as YYYY-MM-DD, from the shapes feeds, pages and exports use; null when the
 * value is not a recognisable, valid date.
 */
export function normalizeDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  for (const { pattern, parts } of SHAPES) {
    const match = pattern.exec(text);
    if (match) return toIsoDate(...parts(match));
  }
  return null;
}
