import type { Answer } from '../../core/types.js';
import type { Send } from '../buttons/button-sessions.js';
import type { BotContext, FeedbackSession } from '../context.js';
import { type AnswerView, renderAnswer } from '../render/answer.js';
import { loggableError } from './errors.js';

/** Where an answer is posted, for the stored question and the feedback log. */
export interface AnswerPlace {
  guildId: string | null;
  channelId: string | null;
  /** The message that asked (a mention, a forum post), linked from /report. */
  questionUrl?: string;
  /** Already stored (an answer shared to the channel is the same question, not a new one). */
  questionId?: string | null;
}

/**
 * Renders an answer and sends it, and stores the question (with whether it was answered) for the
 * server's /report. One with quotes gets per-quote Helpful / Wrong source buttons (and Share to
 * channel when private), backed by a session that takes them off the message again when it expires.
 */
export async function sendAnswer(
  context: BotContext,
  answer: Answer,
  view: Omit<AnswerView, 'feedbackKey'>,
  place: AnswerPlace,
  send: Send,
): Promise<void> {
  const lookup = (id: string) => context.engineQueue.getDocument(id);
  const questionId = place.questionId !== undefined ? place.questionId : await recordQuestion(context, answer, place);
  if (!answer.answered || answer.results.length === 0) {
    await linkQuestion(context, questionId, place, await send(renderAnswer(answer, view, lookup)));
    return;
  }
  const session: FeedbackSession = {
    question: answer.question,
    resultIds: answer.results.map((result) => `${result.docId}:${result.start}-${result.end}`),
    guildId: place.guildId,
    channelId: place.channelId,
    questionId,
    answer,
    view,
    votes: new Set(),
  };
  const sent = await context.feedback.send(session, (feedbackKey) => renderAnswer(answer, { ...view, feedbackKey }, lookup), send);
  await linkQuestion(context, questionId, place, sent);
}

/** Stored in servers only; a storage failure is logged and never costs the user the answer. */
async function recordQuestion(context: BotContext, answer: Answer, place: AnswerPlace): Promise<string | null> {
  if (!place.guildId || !place.channelId) return null;
  try {
    return await context.community.recordQuestion({
      guildId: place.guildId,
      channelId: place.channelId,
      question: answer.question,
      answered: answer.answered && answer.results.length > 0,
      messageUrl: place.questionUrl ?? null,
    });
  } catch (error) {
    context.logger.warn({ event: 'question-not-stored', err: loggableError(error) }, 'could not store the question for /report');
    return null;
  }
}

/** Without a message that asked, /report links the answer itself when others can see it. */
async function linkQuestion(context: BotContext, questionId: string | null, place: AnswerPlace, sent: { url?: string }): Promise<void> {
  if (!questionId || place.questionUrl || !sent.url) return;
  await context.community
    .setMessageUrl(questionId, sent.url)
    .catch((error: unknown) => context.logger.warn({ err: loggableError(error) }, 'could not link the stored question'));
}
