import { MessageFlags } from 'discord.js';
import { BUTTON_NAMESPACES } from '../custom-ids.js';
import type { ComponentHandler } from '../registry.js';
import { renderNotice } from '../render/notice.js';
import { replyPrivately } from '../send.js';

/** A Helpful / Not helpful click: one structured log event, and a thank-you only the clicker sees. */
export default {
  namespace: BUTTON_NAMESPACES.feedback,

  async execute(interaction, context, parts) {
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
  },
} satisfies ComponentHandler;
