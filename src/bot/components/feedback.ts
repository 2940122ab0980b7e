import { MessageFlags } from 'discord.js';
import { BUTTON_NAMESPACES } from '../buttons/custom-ids.js';
import type { ComponentHandler } from '../registry.js';
import { VERDICT_CODES } from '../render/answer.js';
import { renderNotice } from '../render/notice.js';
import { loggableError } from '../sending/errors.js';
import { replyPrivately } from '../sending/send.js';

const EXPIRED = 'These feedback buttons have expired — thanks anyway!';

/**
 * A Helpful / Wrong source click on one quote: stored with the question, the quote's document and
 * offsets (for /report), logged, and thanked privately. A user's repeated click counts once.
 */
export default {
  namespace: BUTTON_NAMESPACES.feedback,

  async execute(interaction, context, parts) {
    const [key, index, code] = parts;
    const session = key === undefined ? undefined : context.feedback.get(key);
    const result = session?.answer.results[Number(index)];
    const verdict = code === VERDICT_CODES.helpful ? 'helpful' : code === VERDICT_CODES.wrong ? 'wrong' : undefined;
    if (!session || !result || !verdict || !/^\d+$/.test(index ?? '')) {
      await replyPrivately(interaction, EXPIRED);
      return;
    }
    const vote = `${interaction.user.id}:${index}:${verdict}`;
    if (!session.votes.has(vote)) {
      session.votes.add(vote);
      const { question, guildId, channelId, questionId } = session;
      context.logger.info(
        { event: 'feedback', verdict, question, resultId: session.resultIds[Number(index)], guildId, channelId },
        'quote feedback',
      );
      if (questionId) {
        await context.community
          .recordFeedback({ questionId, docId: result.docId, start: result.start, end: result.end, verdict })
          .catch((error: unknown) =>
            context.logger.warn({ event: 'feedback-not-stored', err: loggableError(error) }, 'could not store feedback'),
          );
      }
    }
    const thanks =
      verdict === 'helpful'
        ? `Thanks — glad quote ${result.rank} helped.`
        : `Thanks — noted that quote ${result.rank} is from the wrong source; admins see it in /report.`;
    await interaction.reply({ ...renderNotice(thanks), flags: MessageFlags.Ephemeral });
  },
} satisfies ComponentHandler;
