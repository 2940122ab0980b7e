import {
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type RepliableInteraction,
} from 'discord.js';
import type { Send } from '../buttons/button-sessions.js';
import { renderNotice } from '../render/notice.js';

/**
 * Fills in a deferred command reply. Later edits go through the interaction too: an ephemeral reply
 * can be reached no other way.
 */
export function toDeferredReply(interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction): Send {
  return async (payload) => {
    const message = await interaction.editReply(payload);
    return { edit: (changes) => interaction.editReply(changes), url: interaction.ephemeral ? undefined : message.url };
  };
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
