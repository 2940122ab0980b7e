/**
 * How much of a question's wording a sentence shares: the share of the question's terms it holds
 * (weighted by their IDF, so rare words count most), the share of the question's adjacent term
 * pairs it holds in the same order, and the share of its own terms the question lacks (an answer
 * is something the question does not already say). Signals of passage selection (passages.ts).
 */
import { tokenize } from '../text/terms.js';

export interface QuestionTerms {
  /** Distinct terms with their IDF. */
  idf: Map<string, number>;
  totalIdf: number;
  pairs: Set<string>;
}

export interface Overlap {
  coverage: number;
  pairs: number;
  novelty: number;
}

/** The question's terms (without `ignore`: words that ask rather than say, tokenised like the question). */
export function questionTerms(question: string, idf: (term: string) => number, ignore: string[] = []): QuestionTerms {
  const ignored = new Set(ignore.flatMap((word) => tokenize(word)));
  const terms = tokenize(question).filter((term) => !ignored.has(term));
  const weights = new Map(terms.map((term) => [term, idf(term)]));
  let totalIdf = 0;
  for (const weight of weights.values()) totalIdf += weight;
  return { idf: weights, totalIdf, pairs: adjacentPairs(terms) };
}

export function overlap(question: QuestionTerms, sentence: string): Overlap {
  const terms = tokenize(sentence);
  const present = new Set(terms);
  let covered = 0;
  for (const [term, weight] of question.idf) if (present.has(term)) covered += weight;
  let pairs = 0;
  if (question.pairs.size > 0) for (const pair of adjacentPairs(terms)) if (question.pairs.has(pair)) pairs++;
  const fresh = terms.filter((term) => !question.idf.has(term)).length;
  return {
    coverage: question.totalIdf > 0 ? covered / question.totalIdf : 0,
    pairs: question.pairs.size > 0 ? pairs / question.pairs.size : 0,
    novelty: terms.length > 0 ? fresh / terms.length : 0,
  };
}

function adjacentPairs(terms: string[]): Set<string> {
  const pairs = new Set<string>();
  for (let i = 1; i < terms.length; i++) pairs.add(`${terms[i - 1]} ${terms[i]}`);
  return pairs;
}
