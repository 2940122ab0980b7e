/**
 * An error the user can fix (bad flag, missing model, unreadable corpus...). Adapters print its
 * message as one line, without a stack trace; anything else is a bug and keeps its stack.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** The index's database cannot be reached (down, wrong host or port, bad credentials): one line, never a credential. */
export class DatabaseUnavailableError extends UserError {
  override name = 'DatabaseUnavailableError';
}

/**
 * The database answered but refused DATABASE_URL's user or password (SQLSTATE class 28): a setting to
 * fix, not an outage. Still "unavailable" to the bot's users and to the engine's outage warnings.
 */
export class DatabaseAuthError extends DatabaseUnavailableError {
  override name = 'DatabaseAuthError';
}

/** How much of a user's text an error line may quote: enough to recognise it, never a whole paste. */
export const QUOTED_INPUT_CHARS = 100;

/** The first 100 characters of `text`, with an ellipsis when there was more. */
export function excerpt(text: string, max = QUOTED_INPUT_CHARS): string {
  const chars = [...text.slice(0, max + 2)];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}
