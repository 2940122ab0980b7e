/**
 * Passage selection: which one to three adjoining sentences to quote. Every sentence of the
 * retrieved chunks gets a score, a weighted sum of the signals that paid on the SQuAD tuning part
 * (each model's sentence cosine and sentence-level BM25, each as a z-score over a fixed reference
 * sample of sentences; the fused score of the best retrieved chunk around it; whether it holds the
 * kind of answer the question asks for; how much of the question's wording it shares; its length).
 * The weights are a conditional logit: a softmax of the scores over all of a question's candidate
 * sentences estimates the chance that each one holds the answer. A window is then worth the sum of
 * its sentences' chances minus a price per character, which is the best use of a length budget:
 * a second sentence joins the quote only when it adds more chance than it costs in length.
 * The quote reader, a cross-encoder trained to tell the sentence that answers from the sentences on
 * the same subject, then re-scores the best of them (ReaderWeights).
 * The weights live in quote-weights.ts, fitted by `npx tsx scripts/tune-quotes.ts`.
 */
import type { Span } from '../text/sentences.js';
import type { ReadPasses } from './read-passes.js';
import type { SoleAnswerRule } from './reader-verdicts.js';

export interface QuoteWeights {
  /** Weight of each model's sentence z-score, by model name (a model not listed counts 1). */
  models: Record<string, number>;
  /** Weight of the sentence's BM25 z-score. */
  bm25: number;
  /** Weight of the fused (z-sum) score of the best retrieved chunk holding the sentence. */
  chunk: number;
  /** Weight of "the sentence holds the kind of answer the question asks for" (answer-type.ts). */
  answerType: number;
  /** Weight of the share of the question's terms (by IDF) that the sentence contains (overlap.ts). */
  coverage: number;
  /** Weight of the share of the question's adjacent term pairs that the sentence contains. */
  pairs: number;
  /** Weight of ln(the sentence's length in characters). */
  logChars: number;
  /** Weight of the share of the sentence's terms that the question does not have (where an answer can be). */
  novelty: number;
  /** Price of 100 characters of quote, in chance of holding the answer (0.02: two points per 100 characters). */
  perHundredChars: number;
  /** Most sentences in one quote. */
  maxSentences: number;
  /** Logistic model from a window's chance and its relevance to the chance that it holds the answer, across questions. */
  score: { chance: number; relevance: number; bias: number };
}

/**
 * How the quote reader (embedding/reader.ts) joins quote selection when it is loaded: it reads the
 * `candidates` best sentences by the signals above, and a sentence's score becomes
 * `signals × (its score above) + reader × (the reader's logit) + span × (its best answer span's
 * logit)`; sentences it did not read get the lowest logits it gave. The reader sharpens the chances, so the length price and the score model
 * are fitted again with it (scripts/tune-quotes.ts).
 */
export interface ReaderWeights extends ReadPasses {
  /** Most sentences the reader reads (the best by the fitted signals; see ReadPasses for when it reads them all). */
  candidates: number;
  signals: number;
  reader: number;
  /** Weight of the span head's best start + end logit: a sentence with a clear answer in it. */
  span: number;
  perHundredChars: number;
  /** When the reader's best sentence is quoted without its neighbours (reader-verdicts.ts). */
  soleAnswer: SoleAnswerRule;
  /** As QuoteWeights.score, with the reader's best logit in the window as a third input. */
  score: { chance: number; relevance: number; reader: number; bias: number };
}

/** A sentence of one document that retrieval reached, with its signals. */
export interface SentenceSignals {
  /** z-score of each model's cosine, by model. */
  models: Array<{ model: string; z: number }>;
  bm25: number;
  /** Fused score of the best retrieved chunk that holds this sentence. */
  chunk: number;
  /** 1 when the sentence holds an answer of the asked-for type, 0 otherwise (or when the question asks for no particular type). */
  answerType: number;
  coverage: number;
  pairs: number;
  logChars: number;
  novelty: number;
}

export interface Window {
  firstSentence: number;
  /** Exclusive. */
  lastSentence: number;
  start: number;
  end: number;
  /** Sum of the sentences' chances of holding the answer. */
  chance: number;
  /** The chance minus the length price: how windows are compared. */
  value: number;
}

/** The sentence's score (a logit): the weighted sum of its signals. */
export function sentenceScore(signals: SentenceSignals, weights: QuoteWeights): number {
  let score =
    weights.bm25 * signals.bm25 +
    weights.chunk * signals.chunk +
    weights.answerType * signals.answerType +
    weights.coverage * signals.coverage +
    weights.pairs * signals.pairs +
    weights.logChars * signals.logChars +
    weights.novelty * signals.novelty;
  for (const { model, z } of signals.models) score += (weights.models[model] ?? 1) * z;
  return score;
}

/**
 * Scores (logits) → chances of holding the answer, a softmax over every sentence of every document
 * in `scores` together (one map of sentence → score per document), in the same shape.
 */
export function chances(scores: Array<Map<number, number>>): Array<Map<number, number>> {
  let top = -Infinity;
  for (const map of scores) for (const score of map.values()) top = Math.max(top, score);
  let sum = 0;
  for (const map of scores) for (const score of map.values()) sum += Math.exp(score - top);
  return scores.map((map) => new Map([...map].map(([key, score]) => [key, Math.exp(score - top) / sum])));
}

/**
 * The best window of one document: runs of up to `maxSentences` sentences with a chance, adjoining
 * in the text (`joinable(i)`: nothing but whitespace between sentence i and i + 1).
 */
export function bestWindow(
  sentences: Span[],
  chance: Map<number, number>,
  weights: QuoteWeights,
  joinable: (i: number) => boolean,
): Window | null {
  let best: Window | null = null;
  for (const first of chance.keys()) {
    let sum = 0;
    for (let last = first; last < first + weights.maxSentences; last++) {
      const p = chance.get(last);
      if (p === undefined || (last > first && !joinable(last - 1))) break;
      sum += p;
      const chars = sentences[last]!.end - sentences[first]!.start;
      const value = sum - (weights.perHundredChars * chars) / 100;
      // On a tie the shorter window wins: a longer quote must earn its length.
      if (!best || value > best.value || (value === best.value && chars < best.end - best.start)) {
        best = {
          firstSentence: first,
          lastSentence: last + 1,
          start: sentences[first]!.start,
          end: sentences[last]!.end,
          chance: sum,
          value,
        };
      }
    }
  }
  return best;
}

/**
 * A result's score: the estimated chance that its quote holds the answer, from the window's chance
 * (how it compares with the rest of this question's candidates) and its relevance (the primary
 * model's cosine, which compares across questions and so tells off-topic questions apart).
 */
export function answerScore(chance: number, relevance: number, model: QuoteWeights['score'] | ReaderWeights['score'], reader = 0): number {
  const readerTerm = 'reader' in model ? model.reader * reader : 0;
  return 1 / (1 + Math.exp(-(model.chance * chance + model.relevance * relevance + readerTerm + model.bias)));
}
