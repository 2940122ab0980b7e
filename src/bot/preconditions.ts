import type { BotContext } from './context.js';

/** What a handler needs checked before it runs; commands declare it next to `execute`. */
export interface Preconditions {
  /** Subject to the per-user cooldown between questions. */
  cooldown?: boolean;
}

/**
 * Runs the checks a handler asked for, as Sapphire's preconditions do: returns what to tell the
 * user when the handler may not run, or undefined when it may.
 */
export function refusal(preconditions: Preconditions, userId: string, context: BotContext): string | undefined {
  if (preconditions.cooldown) {
    const wait = context.cooldown.take(userId);
    if (wait > 0) return cooldownText(wait);
  }
  return undefined;
}

export function cooldownText(secondsLeft: number): string {
  return `One moment — you can ask again in ${secondsLeft} second${secondsLeft === 1 ? '' : 's'}.`;
}
