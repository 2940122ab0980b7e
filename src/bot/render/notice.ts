import { type MessagePayload, messagePayload } from '../sending/payload.js';
import { DISCORD_LIMITS } from './limits.js';
import { truncate } from './markdown.js';

/** One line of the bot's own: a hint, a cooldown, a failure. */
export function renderNotice(text: string): MessagePayload {
  return messagePayload({ content: truncate(text, DISCORD_LIMITS.content) });
}
