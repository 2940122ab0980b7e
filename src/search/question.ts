import { UserError } from '../core/errors.js';

/** Discord's own message limit; longer input is almost certainly a paste, not a question. */
export const MAX_QUESTION_CHARS = 2000;

/** Trim a question and reject what cannot be searched, with a message fit to show the user. */
export function validateQuestion(question: string): string {
  const trimmed = question.trim();
  if (trimmed === '') throw new UserError('the question is empty');
  if (trimmed.length > MAX_QUESTION_CHARS) {
    throw new UserError(`the question is ${trimmed.length} characters long; the limit is ${MAX_QUESTION_CHARS}`);
  }
  return trimmed;
}

/**
 * Whether a message asks rather than states: "Find sources" reads a claim as a claim, but a message
 * that ends in a question mark is a question, and the quote reader judges its answers.
 */
export function asksAQuestion(text: string): boolean {
  return /\?\s*$/.test(text);
}

/** Words that make a question of a query without a question mark ("who won the final"). */
const QUESTION_WORD = /\b(?:what|who|whom|whose|when|where|which|why|how)\b/i;

/**
 * Whether a query is keywords rather than a question ("tonnes of wheat", "Grupo GAZ"): no question
 * mark and no question word. The quote reader was trained on questions and does not judge these
 * (quote-selection.ts): for "wheat" it gave its highest logit to a sentence without the word.
 */
export function isKeywordQuery(text: string): boolean {
  return !text.includes('?') && !QUESTION_WORD.test(text);
}
