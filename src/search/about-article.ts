/**
 * Questions about an article itself ("who wrote …", "when was … published", "which outlet
 * reported …") are answered from its metadata: the quote becomes the byline, dateline or source
 * line the metadata was read from, a span of the file like any other quote.
 */
import type { CorpusDocument, DocumentMeta, MetadataField } from '../core/types.js';
import { statesDate } from '../corpus/metadata.js';
import { lineSpans, type Span, splitSentences, trimSpan } from '../text/sentences.js';
import { tokenize } from '../text/terms.js';

export type { MetadataField };

const ASKS: Array<{ field: MetadataField; pattern: RegExp }> = [
  {
    field: 'author',
    pattern: /\b(who (wrote|authored|penned|is the (author|writer|reporter))|written by whom|(author|writer|byline|reporter) of)\b/i,
  },
  {
    field: 'date',
    pattern:
      /\b(when (was|were|did) .{0,80}\b(published|written|posted|released|come out|appear)|publication date|(what|which) (date|day) .{0,60}\b(published|written|posted))\b/i,
  },
  {
    field: 'publisher',
    pattern:
      /\b((which|what) (outlet|publisher|newspaper|paper|site|website|agency|news ?(outlet|agency|site|organi[sz]ation)|publication|media|radio|station)\b.{0,80}\b(publish|report|ran|run|carr|post|wr[io]t|cover)\w*|who (published|reported|ran|carried)|(publisher|source) of)\b/i,
  },
];

/** The metadata field a question asks about, or null for an ordinary question. */
export function askedField(question: string): MetadataField | null {
  return ASKS.find(({ pattern }) => pattern.test(question))?.field ?? null;
}

/** Words of a question about an article that say nothing about which article it is. */
const ABOUT_WORDS = new Set(
  tokenize(
    'article piece story report reported published wrote written author outlet publisher newspaper news agency site when who which date',
  ),
);

/**
 * How much of the question the document's title, publisher and author account for: the IDF-weighted
 * share of the question's terms (see bm25.ts; words like "article" or "wrote" left out) that they
 * hold. "Who wrote the Radio Habana Cuba piece?" is all metadata (1 for that outlet's article);
 * "Which agency published the story about Lavrov meeting Cabrisas?" names its article by content,
 * so a title that says "Lavrov" accounts for a third of it and the content decides.
 */
export function metadataOverlap(meta: Pick<DocumentMeta, 'title' | 'publisher' | 'author'>, questionTerms: Map<string, number>): number {
  const terms = new Set(tokenize([meta.title, meta.publisher ?? '', meta.author ?? ''].join(' ')));
  let shared = 0;
  let total = 0;
  for (const [term, idf] of questionTerms) {
    if (ABOUT_WORDS.has(term)) continue;
    total += idf;
    if (terms.has(term)) shared += idf;
  }
  return total > 0 ? shared / total : 0;
}

/** Lines at each end of a document where bylines, datelines and source lines sit. */
const EDGE_LINES = 8;

/**
 * The line of the document that states `field` (the value the metadata holds), trimmed, or null
 * when no line at the top or bottom of the text says it (say, it came from metadata.json or front
 * matter). Front matter (before `bodyStart`) is never quoted, so its `author:` line does not count.
 */
export function metadataLine(text: string, meta: DocumentMeta & Pick<CorpusDocument, 'bodyStart'>, field: MetadataField): Span | null {
  const value = meta[field];
  if (!value) return null;
  const bodyStart = meta.bodyStart ?? 0;
  const lines = [...lineSpans(text)].flatMap((line) => (line.start >= bodyStart ? (trimSpan(text, line.start, line.end) ?? []) : []));
  const edges = [...lines.slice(0, EDGE_LINES), ...lines.slice(-EDGE_LINES)];
  // Several authors are one "A, B" value (byline.ts); the byline may join them with "and".
  const names = field === 'author' ? value.split(/\s*,\s*/).map(fold) : [fold(value)];
  const states = (span: Span) => {
    const content = text.slice(span.start, span.end);
    return field === 'date' ? statesDate(content, value) : names.every((name) => fold(content).includes(name));
  };
  const line = edges.find(states);
  if (!line || line.end - line.start <= LONG_LINE) return line ?? null;
  // A dateline that opens a paragraph: quote its sentence, not the whole paragraph.
  return splitSentences(text.slice(0, line.end)).find((s) => s.start >= line.start && states(s)) ?? line;
}

/** A line longer than this is a paragraph, not a byline or source line. */
const LONG_LINE = 200;

function fold(text: string): string {
  return text
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}
