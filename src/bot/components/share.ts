import { BUTTON_NAMESPACES } from '../buttons/custom-ids.js';
import type { ComponentHandler } from '../registry.js';
import { replyPrivately } from '../sending/send.js';
import { sendAnswer } from '../sending/send-answer.js';

/**
 * "Share to channel" under a private answer: posts the same quotes publicly, "Shared by" the user,
 * as the interaction's own public reply, so it works where the bot is not a member too (a user install).
 */
export default {
  namespace: BUTTON_NAMESPACES.share,
  answersHere: true,

  async execute(interaction, context, parts) {
    const session = parts[0] === undefined ? undefined : context.feedback.get(parts[0]);
    if (!session) {
      await replyPrivately(interaction, 'This answer can no longer be shared — ask again to share it.');
      return;
    }
    const view = { ...session.view, shareable: false, sharedBy: interaction.user.id };
    const place = { guildId: session.guildId, channelId: session.channelId, questionId: session.questionId };
    await sendAnswer(context, session.answer, view, place, async (payload) => {
      const response = await interaction.reply({ ...payload, withResponse: true });
      return { edit: (changes) => interaction.editReply(changes), url: response.resource?.message?.url };
    });
    context.logger.info(
      { event: 'answer-shared', guildId: session.guildId, channelId: session.channelId },
      'private answer shared to the channel',
    );
  },
} satisfies ComponentHandler;
