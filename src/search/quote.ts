import type { Span } from '../text/sentences.js';

export interface QuoteChoice extends Span {
  /** Cosine similarity of the best sentence in the quote. */
  score: number;
  /** Sentence index range [first, last) of the quote. */
  firstSentence: number;
  lastSentence: number;
}

export const MAX_QUOTE_SENTENCES = 3;
/** A neighbour joins the quote when it is almost as relevant as the best sentence. */
const NEIGHBOUR_MARGIN = 0.06;
/** A best sentence shorter than this rarely stands alone ("He said so."), so it takes its best neighbour. */
const SHORT_SENTENCE = 60;

/**
 * Choose the one to three consecutive sentences of a chunk that answer best: the best-scoring
 * sentence, grown toward whichever adjoining neighbour scores higher while it stays within the margin.
 */
export function chooseQuote(
  sentences: Span[],
  scores: number[],
  first: number,
  last: number,
  /** Whether sentence i and i + 1 may be quoted together (nothing but whitespace between them). */
  joinable: (i: number) => boolean,
): QuoteChoice {
  let best = first;
  for (let i = first + 1; i < last; i++) if (scores[i]! > scores[best]!) best = i;
  let from = best;
  let to = best + 1;
  const bestScore = scores[best]!;
  while (to - from < MAX_QUOTE_SENTENCES) {
    const before = from > first && joinable(from - 1) ? scores[from - 1]! : -Infinity;
    const after = to < last && joinable(to - 1) ? scores[to]! : -Infinity;
    const next = Math.max(before, after);
    const tooShort = sentences[to - 1]!.end - sentences[from]!.start < SHORT_SENTENCE;
    if (next === -Infinity || (next < bestScore - NEIGHBOUR_MARGIN && !tooShort)) break;
    if (before >= after) from--;
    else to++;
  }
  return { start: sentences[from]!.start, end: sentences[to - 1]!.end, score: bestScore, firstSentence: from, lastSentence: to };
}
