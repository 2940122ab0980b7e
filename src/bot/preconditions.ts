import { PermissionFlagsBits } from 'discord.js';
import { answersHere } from '../community/settings.js';
import type { BotContext } from './context.js';
import { settingsAt } from './place.js';
import type { Entry } from './shared-run.js';

/** What a handler needs checked before it runs; commands declare it next to `execute`. */
export interface Preconditions {
  /** Subject to the per-user cooldown between questions. */
  cooldown?: boolean;
  /**
   * Only for admins: server members with `ADMIN_PERMISSION`, who manage the articles the bot quotes.
   * Register such a command with `setDefaultMemberPermissions(ADMIN_PERMISSION)` too; Discord then hides
   * it from everyone else, but server settings can override that, so this checks again at run time.
   */
  admin?: boolean;
  /** Runs only where the server's settings let the bot answer (all channels, or its allow / deny list). */
  answersHere?: boolean;
}

/** Manage Server. */
export const ADMIN_PERMISSION = PermissionFlagsBits.ManageGuild;

export const ADMIN_ONLY_TEXT = 'Only members with the **Manage Server** permission can change how I work in this server.';

export const NOT_HERE_TEXT = 'I do not answer questions in this channel (a server setting): ask in a channel where I answer.';

/**
 * Runs the checks a handler asked for, as Sapphire's preconditions do: returns what to tell the
 * user when the handler may not run, or undefined when it may.
 */
export async function refusal(preconditions: Preconditions, entry: Entry, context: BotContext): Promise<string | undefined> {
  if (preconditions.admin && !isAdmin(entry)) {
    context.logger.warn(
      { event: 'admin-refused', kind: entry.kind, name: entry.name, userId: entry.userId, guildId: entry.guildId },
      'admin-only handler refused',
    );
    return ADMIN_ONLY_TEXT;
  }
  if (preconditions.answersHere && entry.place && !answersHere(await settingsAt(context, entry.place))) return NOT_HERE_TEXT;
  if (preconditions.cooldown) {
    const wait = context.cooldown.take(entry.userId);
    if (wait > 0) return cooldownText(wait);
  }
  return undefined;
}

/** In a server, with the admin permission in the channel (as the interaction reports it). */
function isAdmin(entry: Entry): boolean {
  return entry.guildId !== null && Boolean(entry.memberPermissions?.has(ADMIN_PERMISSION));
}

export function cooldownText(secondsLeft: number): string {
  return `One moment — you can ask again in ${secondsLeft} second${secondsLeft === 1 ? '' : 's'}.`;
}
