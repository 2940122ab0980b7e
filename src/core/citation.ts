import type { AnswerResult } from './types.js';

/** Earliest dated first (ISO dates sort as text), undated last, then by id: the order a group of copies is cited in. */
export function byFirstReport<T extends { id: string; date: string | null }>(a: T, b: T): number {
  if (a.date !== b.date) return a.date === null ? 1 : b.date === null ? -1 : a.date < b.date ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A copy is named by its outlet, or by its title when the outlet is unknown. */
const NAME_MAX = 60;

/**
 * What a citation says of a story's other copies, the same in every adapter: "First reported by
 * Reuters on 2024-03-01; also published by BBC (2024-03-02), AP (2024-03-03)". The earliest dated
 * copy is named first (the quoted one, or another whose text differs); without dates, only "Also
 * published by …". Null when the article has no copies.
 */
export function copiesLine(result: Pick<AnswerResult, 'docId' | 'title' | 'publisher' | 'date' | 'alsoPublishedBy'>): string | null {
  if (result.alsoPublishedBy.length === 0) return null;
  const all = [
    { id: result.docId, title: result.title, publisher: result.publisher, date: result.date },
    ...result.alsoPublishedBy.map((copy) => ({ ...copy, id: copy.docId })),
  ];
  const [first, ...rest] = [...all].sort(byFirstReport);
  const name = (copy: { title: string; publisher: string | null }) => {
    const text = copy.publisher ?? copy.title;
    return text.length > NAME_MAX ? `${text.slice(0, NAME_MAX - 1)}…` : text;
  };
  const listed = (copies: typeof all) => copies.map((copy) => (copy.date ? `${name(copy)} (${copy.date})` : name(copy))).join(', ');
  if (!first!.date) return `Also published by ${listed(all.filter((copy) => copy.id !== result.docId))}`;
  return `First reported by ${name(first!)} on ${first!.date}; also published by ${listed(rest)}`;
}
