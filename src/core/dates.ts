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
