/** The index terms of a text, shared by BM25 (src/index/bm25.ts) and the word-overlap signals of quoting. */
import { stem } from 'porter2';

/**
 * English function words, removed before stemming. Negations ("no", "not", "nor") are kept,
 * since claims hinge on them ("X does not cause Y").
 */
const STOPWORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being
  below between both but by can could did do does doing down during each few for from further
  had has have having he her here hers herself him himself his how i if in into is it its itself
  just me more most my myself of off on once only or other our ours ourselves out over own same
  she should so some such than that the their theirs them themselves then there these they this
  those through to too under until up very was we were what when where which while who whom why
  will with would you your yours yourself yourselves`.split(/\s+/),
);

/** Runs of letters/digits, keeping internal apostrophes ("don't", "patient's"); hyphens split. */
const WORD = /[\p{L}\p{N}\p{M}]+(?:'[\p{L}\p{N}\p{M}]+)*/gu;

/** NFKD with the combining accents removed ("naïve" → "naive"), lower-cased: how words are compared. */
export function foldAccentsAndCase(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{Mn}+/gu, '')
    .toLowerCase();
}

/**
 * Text → index terms: NFKD + removal of combining accents (so "naïve" matches "naive"),
 * lower-casing, word splitting, stopword removal, Porter2 (Snowball English) stemming.
 * Queries and passages must go through the same function.
 */
export function tokenize(text: string): string[] {
  const folded = foldAccentsAndCase(text).replace(/[\u2018\u2019\u02bc]/g, "'"); // typographic apostrophes
  const terms: string[] = [];
  for (const [word] of folded.matchAll(WORD)) {
    if (STOPWORDS.has(word)) continue;
    terms.push(stem(word));
  }
  return terms;
}
