import type { QuoteWeights } from './passages.js';

/**
 * The weights of passage selection, in one place. Fitted by `npx tsx scripts/tune-quotes.ts` on
 * the tuning part of SQuAD v1.1 dev half (articles 0, 2, 4, …; 800 questions), confirmed on the
 * validation part with `npm run eval -- --qa FILE` (README, "Quote quality"). Sentence signals are
 * z-scores, so the weights compare directly.
 */
export const QUOTE_WEIGHTS: QuoteWeights = {
  // bge-small at 0 scored 2 questions in 800 better than at 0.5 (noise), so every model's
  // sentence vectors keep a say.
  models: { 'Xenova/all-MiniLM-L6-v2': 2, 'Xenova/bge-small-en-v1.5': 0.5, 'Xenova/e5-small-v2': 2 },
  bm25: 1,
  chunk: 0.25,
  // A sentence holding the asked-for kind of answer (a number, a date, a name): +2 z.
  answerType: 2,
  // Windows: 0 would quote the best sentence alone (76% at 186 characters); 0.3 lets strong
  // neighbours join (81% at 272); 0.6 and any price per character did worse for the budget.
  softness: 0.3,
  perHundredChars: 0,
  maxSentences: 3,
  // Logistic fit of "the quote holds the answer" on the top 5 passages of every tuning question (3,990).
  score: { value: 0.109, relevance: 2.822, bias: -6.349 },
};

/**
 * Results scoring below this fraction of the first result's score are dropped. On the validation
 * part, 2nd and 3rd results under 0.2 of the first held the answer 1.3% of the time (704 of 901).
 */
export const RELATIVE_CUT = 0.2;

/**
 * Passages one article may contribute to the results unless several are asked for. Two: on the
 * tuning part the top three quotes held the answer for 89.1% of questions, against 82.4% with one.
 */
export const PASSAGES_PER_DOCUMENT = 2;

/**
 * For a question about an article itself ("who wrote the Radio Habana Cuba piece?"), what each word
 * shared by the question and the article's title, publisher or author adds to a passage's value
 * (in z units): it names the article, so it outweighs similarity of content. Set on the seed
 * questions about articles (test/fixtures/seed-questions.json).
 */
export const METADATA_MATCH_WEIGHT = 5;
