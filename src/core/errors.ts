/**
 * An error the user can fix (bad flag, missing model, unreadable corpus...). Adapters print its
 * message as one line, without a stack trace; anything else is a bug and keeps its stack.
 */
export class UserError extends Error {
  override name = 'UserError';
}
