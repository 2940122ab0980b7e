/**
 * Passage selection: which one to three adjoining sentences to quote. Every sentence of the
 * retrieved chunks gets a score from every signal that paid on the SQuAD tuning part (each model's
 * sentence cosine and sentence-level BM25, each as a z-score over a fixed reference sample of
 * sentences, the fused score of the best retrieved chunk around it, and whether it holds the kind
 * of answer the question asks for); a window of sentences
 * is worth the soft maximum of its sentences' scores minus a price per character, so a longer
 * quote wins only when its extra sentences are themselves likely to hold the answer.
 * The weights live in QUOTE_WEIGHTS (quote-weights.ts), fitted by `npm run eval -- --qa`.
 */
import type { Span } from '../text/sentences.js';

export interface QuoteWeights {
  /** Weight of each model's sentence z-score, by model name (a model not listed counts 1). */
  models: Record<string, number>;
  /** Weight of the sentence's BM25 z-score. */
  bm25: number;
  /** Weight of the fused (z-sum) score of the best retrieved chunk holding the sentence. */
  chunk: number;
  /** Weight of "the sentence holds the kind of answer the question asks for" (answer-type.ts). */
  answerType: number;
  /** Softness of a window's maximum: 0 takes the best sentence alone; larger lets neighbours add up. */
  softness: number;
  /** Price of 100 characters of quote, in score units. */
  perHundredChars: number;
  /** Most sentences in one quote. */
  maxSentences: number;
  /** Logistic model from a window's value and its relevance to the chance that it holds the answer. */
  score: { value: number; relevance: number; bias: number };
}

/** A sentence of one document that retrieval reached, with its signals. */
export interface SentenceSignals {
  /** Index into the document's sentence list. */
  sentence: number;
  /** z-score of each model's cosine, by model. */
  models: Array<{ model: string; z: number }>;
  bm25: number;
  /** Fused score of the best retrieved chunk that holds this sentence. */
  chunk: number;
  /** 1 when the sentence holds an answer of the asked-for type, 0 otherwise (or when the question asks for no particular type). */
  answerType: number;
}

export interface Window {
  firstSentence: number;
  /** Exclusive. */
  lastSentence: number;
  start: number;
  end: number;
  /** Soft maximum of the sentences' scores minus the length price: how windows are compared. */
  value: number;
  /** The best sentence's score alone. */
  best: number;
}

export function sentenceScore(signals: SentenceSignals, weights: QuoteWeights): number {
  let score = weights.bm25 * signals.bm25 + weights.chunk * signals.chunk + weights.answerType * signals.answerType;
  for (const { model, z } of signals.models) score += (weights.models[model] ?? 1) * z;
  return score;
}

/**
 * The best window of one document: runs of up to `maxSentences` scored sentences, adjoining in
 * the text (`joinable(i)`: nothing but whitespace between sentence i and i + 1).
 */
export function bestWindow(
  sentences: Span[],
  scored: Map<number, number>,
  weights: QuoteWeights,
  joinable: (i: number) => boolean,
): Window | null {
  let best: Window | null = null;
  const { softness } = weights;
  for (const [first, firstScore] of scored) {
    let top = firstScore;
    // Soft maximum τ·log Σ exp(s/τ), kept relative to the first score so exp() cannot overflow.
    let sumExp = 0;
    for (let last = first; last < first + weights.maxSentences; last++) {
      const score = scored.get(last);
      if (score === undefined || (last > first && !joinable(last - 1))) break;
      top = Math.max(top, score);
      if (softness > 0) sumExp += Math.exp((score - firstScore) / softness);
      const soft = softness > 0 ? firstScore + softness * Math.log(sumExp) : top;
      const chars = sentences[last]!.end - sentences[first]!.start;
      const value = soft - (weights.perHundredChars * chars) / 100;
      // On a tie the shorter window wins: a longer quote must earn its length.
      if (!best || value > best.value || (value === best.value && chars < best.end - best.start)) {
        best = { firstSentence: first, lastSentence: last + 1, start: sentences[first]!.start, end: sentences[last]!.end, value, best: top };
      }
    }
  }
  return best;
}

/**
 * A result's score: the estimated chance that its quote holds the answer, from the window's value
 * (how it compares with the rest of this question's candidates) and its relevance (the primary
 * model's cosine, which compares across questions and so tells off-topic questions apart).
 */
export function answerScore(value: number, relevance: number, model: QuoteWeights['score']): number {
  return 1 / (1 + Math.exp(-(model.value * value + model.relevance * relevance + model.bias)));
}
