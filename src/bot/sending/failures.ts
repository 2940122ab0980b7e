import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import { DatabaseUnavailableError, UserError } from '../../core/errors.js';
import { QueueClosedError, QueueExpiredError, QueueFullError } from '../queue/queue.js';

export const BUSY_TEXT = 'I am answering a lot of questions right now — please try again in a minute.';
export const FAILURE_TEXT = 'Sorry, something went wrong while answering. Please try again.';
export const RESTARTING_TEXT = 'I am restarting — please try again in a moment.';
export const INDEX_DOWN_TEXT = 'The article index is unreachable right now. Please try again in a minute.';
export const NO_ACCESS_TEXT = 'I cannot post in that channel any more (my access to it was removed).';

/**
 * What to tell a user when answering failed, and whether it is worth an error log: a full queue
 * and a question the core rejects (empty, too long, bad options) are the user's situation, not a bug.
 */
export function describeFailure(error: unknown): { text: string; isBug: boolean } {
  // An expired question's reply usually cannot be sent any more; if it still can, "busy" is the truth.
  if (error instanceof QueueFullError || error instanceof QueueExpiredError) return { text: BUSY_TEXT, isBug: false };
  if (error instanceof QueueClosedError) return { text: RESTARTING_TEXT, isBug: false };
  // Where the database is (host, port) is for the logs, not for users.
  if (error instanceof DatabaseUnavailableError) return { text: INDEX_DOWN_TEXT, isBug: false };
  if (error instanceof UserError) return { text: `Sorry, I cannot answer that: ${error.message}.`, isBug: false };
  // An admin took the bot's access to a channel away: their choice, not a bug.
  if (
    error instanceof DiscordAPIError &&
    (error.code === RESTJSONErrorCodes.MissingAccess || error.code === RESTJSONErrorCodes.MissingPermissions)
  ) {
    return { text: NO_ACCESS_TEXT, isBug: false };
  }
  return { text: FAILURE_TEXT, isBug: true };
}
