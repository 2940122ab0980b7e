import { MessageFlags, type ButtonInteraction } from 'discord.js';
import type { BotContext } from './context.js';
import { renderNotice } from './render/notice.js';
import { replyPrivately } from './send.js';

/** A Helpful / Not helpful click: one structured log event, and a thank-you only the clicker sees. */
export async function handleFeedbackButton(interaction: ButtonInteraction, context: BotContext, parts: string[]): Promise<void> {
  const [key, flag] = parts;
  const session = key === undefined ? undefined : context.feedback.get(key);
  if (!session || (flag !== '1' && flag !== '0')) {
    await replyPrivately(interaction, 'These feedback buttons have expired — thanks anyway!');
    return;
  }
  const helpful = flag === '1';
  const { question, resultIds, guildId, channelId } = session;
  context.logger.info({ event: 'feedback', helpful, question, resultIds, guildId, channelId }, 'answer feedback');
  const thanks = helpful ? 'Thanks — glad the quotes helped.' : 'Thanks — noted that these quotes did not help.';
  await interaction.reply({ ...renderNotice(thanks), flags: MessageFlags.Ephemeral });
}
