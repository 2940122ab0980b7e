/** A span of a document's text: `text.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
/** Titles after which the segmenter wrongly ends a sentence ("Ms. Bogner said."). */
const ABBREVIATION_END = /\b(Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|St|Jr|Sr)\.$/;

/**
 * Split text into sentences with exact offsets, trimmed of surrounding whitespace.
 * Lines are segmented separately: news text often has titles, bylines and datelines
 * without final punctuation, and a sentence must never run across them.
 */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  for (const line of lineSpans(text)) {
    const lineText = text.slice(line.start, line.end);
    let pending: Span | null = null;
    for (const { segment, index } of segmenter.segment(lineText)) {
      const trimmed = trimSpan(text, line.start + index, line.start + index + segment.length);
      if (!trimmed) continue;
      if (pending && ABBREVIATION_END.test(text.slice(pending.start, pending.end))) {
        pending = { start: pending.start, end: trimmed.end };
        continue;
      }
      if (pending) spans.push(pending);
      pending = trimmed;
    }
    if (pending) spans.push(pending);
  }
  return spans;
}

/** Every line of the text, untrimmed, without its line break. */
export function* lineSpans(text: string): Generator<Span> {
  const lineBreak = /\r\n|\r|\n/g;
  let start = 0;
  for (const match of text.matchAll(lineBreak)) {
    yield { start, end: match.index };
    start = match.index + match[0].length;
  }
  yield { start, end: text.length };
}

/** Shrink a span to exclude leading and trailing whitespace; null when nothing is left. */
export function trimSpan(text: string, start: number, end: number): Span | null {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return start < end ? { start, end } : null;
}
