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
