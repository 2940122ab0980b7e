import { type Span, splitSentences, trimSpan } from './sentences.js';

/** Lines that carry layout or metadata rather than the article's words. */
const NOT_PROSE_LINE = [
  /^#{1,6}\s/, // markdown heading
  /^\[[^\]]*\]\([^)]*\)$/, // a lone markdown link
  /^[-*_=~]{3,}$/, // horizontal rule
  /^([*_]{1,3})[^*_].*\1$/, // a wholly emphasised line: captions, sign-offs, image placeholders
  /^(source( url)?|url|link|published (on|in|at)|by|author|photo|image|related story)\b\s*:?/i,
];
/** "Havana, (Agency - 18th Feb, 2022 ) :" or "date 2022-02-18 Havana (Agency) -": a dateline before the first sentence. */
const LEADING_DATELINE = /^(?:date\s+\d{4}-\d{2}-\d{2}\s+)?[A-Z][\w .'-]{0,40},?\s*\([^()\n]{2,80}\)\s*[:\-–—]\s*/;
const MIN_WORDS = 4;

/**
 * Keep the sentences worth quoting: drop headings, the title line, bylines, captions,
 * labelled metadata and fragments too short to stand alone, and cut a leading dateline
 * off the first sentence.
 */
export function proseSentences(text: string, sentences: Span[], title?: string): Span[] {
  const prose: Span[] = [];
  for (const sentence of sentences) {
    const line = lineAround(text, sentence.start);
    if (NOT_PROSE_LINE.some((pattern) => pattern.test(line)) || (title && line === title)) continue;
    const dateline = LEADING_DATELINE.exec(text.slice(sentence.start, sentence.end));
    const span = trimSpan(text, sentence.start + (dateline?.[0].length ?? 0), sentence.end);
    if (span && text.slice(span.start, span.end).split(/\s+/).length >= MIN_WORDS) prose.push(span);
  }
  return prose;
}

/** The sentences of a document that may be quoted: its prose, after any front matter (which stays in the text, since offsets are file offsets). */
export function quotableSentences(doc: { text: string; title?: string; bodyStart?: number }): Span[] {
  return proseSentences(doc.text, splitSentences(doc.text), doc.title).filter((s) => s.start >= (doc.bodyStart ?? 0));
}

/** True when nothing but whitespace separates two spans, so they can be quoted as one. */
export function contiguous(text: string, first: Span, second: Span): boolean {
  return /^\s*$/.test(text.slice(first.end, second.start));
}

function lineAround(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end === -1 ? text.length : end).trim();
}
