import type { Span } from '../text/sentences.js';

/**
 * What the quote reader reads before a candidate sentence: the article's title and the sentence
 * before it, so a sentence that says "He said …" or "The city …" is read knowing who and which.
 * The reader keeps only the first tokens of it (`max_context_tokens` in the model's config.json).
 * training/reader/candidates.ts writes the same context for training, through this function.
 */
export function readerContext(title: string, text: string, sentences: { at(i: number): Span | undefined }, i: number): string {
  const before = i > 0 ? sentences.at(i - 1) : undefined;
  const previous = before ? text.slice(before.start, before.end) : '';
  // An article's first line is often its title: do not read it twice.
  return previous && previous !== title ? `${title}. ${previous}` : title;
}
