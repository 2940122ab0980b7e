import type { ChatInputCommandInteraction, MessageContextMenuCommandInteraction } from 'discord.js';
import type { Answer } from '../core/types.js';
import type { BotContext, FeedbackSession } from './context.js';
import { NO_PINGS, type MessagePayload } from './payload.js';
import { renderAnswer, type AnswerView } from './render/answer.js';

export interface AnswerReply {
  payload: MessagePayload;
  /** Call once the message is sent, with a way to strip its buttons when the feedback session expires. */
  onSent(clearButtons: () => Promise<unknown>): void;
}

/** Renders an answer; one with quotes gets Helpful / Not helpful buttons backed by a feedback session. */
export function prepareAnswerReply(
  context: BotContext,
  answer: Answer,
  view: Omit<AnswerView, 'feedbackKey'>,
  where: { guildId: string | null; channelId: string | null },
): AnswerReply {
  const lookup = (id: string) => context.answers.getDocument(id);
  if (!answer.answered || answer.results.length === 0) {
    return { payload: renderAnswer(answer, view, lookup), onSent: () => undefined };
  }
  const session: FeedbackSession = {
    question: answer.question,
    resultIds: answer.results.map((result) => `${result.docId}:${result.start}-${result.end}`),
    ...where,
  };
  const feedbackKey = context.feedback.add(session);
  return {
    payload: renderAnswer(answer, { ...view, feedbackKey }, lookup),
    onSent: (clearButtons) => {
      session.clearButtons = clearButtons;
    },
  };
}

/** Answers a deferred command interaction in place. */
export async function editReplyWithAnswer(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  context: BotContext,
  answer: Answer,
  view: Omit<AnswerView, 'feedbackKey'>,
): Promise<void> {
  const reply = prepareAnswerReply(context, answer, view, { guildId: interaction.guildId, channelId: interaction.channelId });
  await interaction.editReply(reply.payload);
  reply.onSent(() => interaction.editReply({ components: [], allowedMentions: NO_PINGS }));
}
