import type { AnswerResult, MetadataField } from './types.js';

/**
 * What a result without a quote (see `AnswerResult.fromMetadata`) shows in its place, in every
 * adapter: the asked field and its value, and why nothing is quoted.
 */
const LABELS: Record<MetadataField, string> = { author: 'Author', date: 'Published', publisher: 'Publisher' };

/** Said next to the value, so nobody takes it for a quote. */
export const NOT_QUOTED_NOTE = "from the article's metadata; its text does not state it";

/** `{ label: 'Author', value: 'Priya Halvorsen' }` for a result answered from metadata; null for a quote. */
export function metadataStatement(result: AnswerResult): { label: string; value: string } | null {
  const field = result.fromMetadata;
  const value = field ? result[field] : null;
  return field && value ? { label: LABELS[field], value } : null;
}

/** "by Ana Ruiz, Tom Lee", the author's part of an attribution line; null when the author is unknown. */
export function byline(author: string | null): string | null {
  return author ? `by ${author}` : null;
}
