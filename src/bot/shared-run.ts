import type { PermissionsBitField } from 'discord.js';
import type { BotContext } from './context.js';
import type { Place } from './place.js';
import { NOT_HERE_TEXT, type Preconditions, refusal } from './preconditions.js';
import { loggableError } from './sending/errors.js';
import { describeFailure } from './sending/failures.js';

export type EntryKind = 'command' | 'context-menu' | 'autocomplete' | 'button' | 'mention' | 'auto-answer';

/** One incoming event, whatever its kind: what the shared run needs to check it, log it and answer it. */
export interface Entry {
  kind: EntryKind;
  /** The command's name, or the button's namespace. */
  name: string;
  userId: string;
  guildId: string | null;
  /** The member's permissions in the channel, where the event carries them (interactions do). */
  memberPermissions?: Readonly<PermissionsBitField> | null;
  /** Where it happened, for the `answersHere` precondition. */
  place?: Place;
  /** Messages (mentions, auto-answers) in a channel where the bot does not answer get no reply at all. */
  silentWhereNotAnswering?: boolean;
  /** Tells only this user one line: why the handler may not run, or that it failed. */
  tell(text: string): Promise<unknown>;
}

/** Kinds whose handling time is logged: one line per command, none per keystroke or click. */
const TIMED: ReadonlySet<EntryKind> = new Set(['command', 'context-menu']);

/**
 * Every entry (slash command, context menu, autocomplete, button, mention) runs its handler through
 * here, as Sapphire runs one `sharedRun` for every flow: the preconditions first, then the handler;
 * any error becomes one line to the user, and an error log when it is a bug.
 */
export async function sharedRun(
  context: BotContext,
  entry: Entry,
  preconditions: Preconditions,
  handler: () => Promise<unknown>,
): Promise<void> {
  try {
    const refused = await refusal(preconditions, entry, context);
    if (refused) {
      if (!(refused === NOT_HERE_TEXT && entry.silentWhereNotAnswering)) await entry.tell(refused);
      return;
    }
    const startedAt = Date.now();
    await handler();
    if (TIMED.has(entry.kind)) {
      context.logger.info({ event: 'command', command: entry.name, guildId: entry.guildId, ms: Date.now() - startedAt }, 'command handled');
    }
  } catch (error) {
    await reportFailure(context, entry, error);
  }
}

async function reportFailure(context: BotContext, entry: Entry, error: unknown): Promise<void> {
  const { text, isBug } = describeFailure(error);
  if (isBug) {
    context.logger.error(
      { err: loggableError(error), event: 'handler-failed', kind: entry.kind, name: entry.name },
      `${entry.kind} handler failed`,
    );
  }
  try {
    await entry.tell(text);
  } catch (replyError) {
    context.logger.warn({ err: loggableError(replyError) }, 'could not tell the user about a failure');
  }
}
