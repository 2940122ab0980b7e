import { MessageFlags, type RepliableInteraction } from 'discord.js';
import { renderNotice } from './render.js';

export const BUSY_TEXT = 'I am answering a lot of questions right now — please try again in a minute.';
export const FAILURE_TEXT = 'Sorry, something went wrong while answering. Please try again.';

export function cooldownText(secondsLeft: number): string {
  return `One moment — you can ask again in ${secondsLeft} second${secondsLeft === 1 ? '' : 's'}.`;
}

/**
 * Tells only the user something (an error, a cooldown, a busy queue), whatever state the
 * interaction is in: fresh, deferred (ephemerally or publicly) or already answered.
 */
export async function replyPrivately(interaction: RepliableInteraction, text: string): Promise<void> {
  const notice = renderNotice(text);
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ ...notice, flags: MessageFlags.Ephemeral });
    return;
  }
  if (interaction.deferred && !interaction.replied && interaction.ephemeral) {
    await interaction.editReply(notice);
    return;
  }
  // A public "thinking…" placeholder should not linger (or turn into a public error).
  if (interaction.isCommand() && interaction.deferred && !interaction.replied) {
    await interaction.deleteReply().catch(() => undefined);
  }
  await interaction.followUp({ ...notice, flags: MessageFlags.Ephemeral });
}
