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
