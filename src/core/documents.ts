import type { DocumentMeta } from './types.js';

/** A document's metadata alone (what `QuoteEngine.documents()` lists), whatever else it carries. */
export function documentMeta({ id, title, publisher, author, date, url }: DocumentMeta): DocumentMeta {
  return { id, title, publisher, author, date, url };
}
