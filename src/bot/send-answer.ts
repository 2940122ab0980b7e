import type { Answer } from '../core/types.js';
import type { Send } from './button-sessions.js';
import type { BotContext, FeedbackSession } from './context.js';
import { renderAnswer, type AnswerView } from './render/answer.js';

/** Where an answer is posted, for the feedback log. */
export interface AnswerPlace {
  guildId: string | null;
  channelId: string | null;
}

/**
 * Renders an answer and sends it. One with quotes gets Helpful / Not helpful buttons, backed by a
 * feedback session that takes them off the message again when it expires.
 */
export async function sendAnswer(
  context: BotContext,
  answer: Answer,
  view: Omit<AnswerView, 'feedbackKey'>,
  place: AnswerPlace,
  send: Send,
): Promise<void> {
  const lookup = (id: string) => context.engineQueue.getDocument(id);
  if (!answer.answered || answer.results.length === 0) {
    await send(renderAnswer(answer, view, lookup));
    return;
  }
  const session: FeedbackSession = {
    question: answer.question,
    resultIds: answer.results.map((result) => `${result.docId}:${result.start}-${result.end}`),
    guildId: place.guildId,
    channelId: place.channelId,
  };
  await context.feedback.send(session, (feedbackKey) => renderAnswer(answer, { ...view, feedbackKey }, lookup), send);
}
