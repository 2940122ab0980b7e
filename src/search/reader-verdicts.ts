import type { ReaderVerdict } from '../embedding/reader.js';
import type { Span } from '../text/sentences.js';

/** When one sentence is quoted alone (part of ReaderWeights). */
export interface SoleAnswerRule {
  /** The reader's logit for the sentence is at least this … */
  above: number;
  /** … and at least this much above every other sentence it read for the question. */
  margin: number;
}

/**
 * The sentence the reader is sure answers the question by itself, as its document's index among the
 * read ones (`verdicts[d]`) and its sentence number; null when no sentence stands out so. Windows
 * then quote it alone instead of padding it with neighbours whose chance is worth their length on
 * average but not here ("When one sentence answers, quote one sentence": docs/quality.md,
 * "One sentence when the reader is sure").
 */
export function soleAnswer(verdicts: Array<Map<number, ReaderVerdict>>, rule: SoleAnswerRule): { d: number; i: number } | null {
  let best: { d: number; i: number; score: number } | null = null;
  let second = -Infinity;
  for (const [d, map] of verdicts.entries()) {
    for (const [i, { score }] of map) {
      if (!best || score > best.score) {
        second = best?.score ?? -Infinity;
        best = { d, i, score };
      } else second = Math.max(second, score);
    }
  }
  return best && best.score >= rule.above && best.score - second >= rule.margin ? { d: best.d, i: best.i } : null;
}

/** The reader's best logit in a window, that sentence's number, and the answer it marks in it (as text offsets); null when it read none of the window. */
export function readerVerdict(
  verdicts: Map<number, ReaderVerdict>,
  window: { firstSentence: number; lastSentence: number },
  sentences: Span[],
): { reader: number | null; sentence: number | null; answer: { start: number; end: number } | null } {
  let best: { i: number; verdict: ReaderVerdict } | null = null;
  for (let i = window.firstSentence; i < window.lastSentence; i++) {
    const verdict = verdicts.get(i);
    if (verdict && (!best || verdict.score > best.verdict.score)) best = { i, verdict };
  }
  if (!best) return { reader: null, sentence: null, answer: null };
  const { answer } = best.verdict;
  const start = sentences[best.i]!.start;
  return {
    reader: best.verdict.score,
    sentence: best.i,
    answer: answer ? { start: start + answer.start, end: start + answer.end } : null,
  };
}
