import type { Message, ThreadChannel } from 'discord.js';
import { DEFAULT_RESULTS } from '../core/ask-options.js';
import type { BotContext } from './context.js';
import { loggableError } from './errors.js';
import { combineWithTopic, isFollowUp, stripBotMention, topicQuestion } from './follow-up.js';
import { renderNotice } from './render/notice.js';
import { sendAnswer } from './send-answer.js';
import { cooldownText, describeFailure } from './failures.js';

/** How far back a thread is read for the question a follow-up refers to. */
const THREAD_HISTORY = 25;

export const MENTION_USAGE =
  'Ask me a question after the mention, e.g. "@me Why did Lavrov visit Havana?" — or use `/ask`. `/help` shows everything I can do.';

/** Answers messages that mention the bot (or reply to it with a ping), as a reply to that message. */
export function createMentionHandler(context: BotContext): (message: Message) => Promise<void> {
  return async (message) => {
    const botId = message.client.user.id;
    if (message.author.bot || !message.inGuild() || !message.mentions.users.has(botId)) return;
    try {
      await answerMention(message, botId, context);
    } catch (error) {
      const { text, isBug } = describeFailure(error);
      if (isBug) context.logger.error({ err: loggableError(error), event: 'mention-failed' }, 'mention handler failed');
      await message.reply(renderNotice(text)).catch((replyError: unknown) => {
        context.logger.warn({ err: loggableError(replyError) }, 'could not tell the user about a failure');
      });
    }
  };
}

async function answerMention(message: Message<true>, botId: string, context: BotContext): Promise<void> {
  // Without the Message Content intent this is empty unless Discord shares it, so the hint also covers that case.
  const question = stripBotMention(message.content, botId);
  if (!question) {
    await message.reply(renderNotice(MENTION_USAGE));
    return;
  }
  const wait = context.cooldown.take(message.author.id);
  if (wait > 0) {
    await message.reply(renderNotice(cooldownText(wait)));
    return;
  }
  const channel = message.channel;
  const topic = channel.isThread() && isFollowUp(question) ? await threadTopic(channel, message.id, botId) : undefined;
  await channel.sendTyping().catch(() => undefined);
  const answer = await context.engineQueue.ask(topic ? combineWithTopic(topic, question) : question, { k: DEFAULT_RESULTS });
  await sendAnswer(context, answer, topic ? { followUpTo: topic } : {}, message, (payload) => message.reply(payload));
}

/**
 * The earlier question of a thread, read from its recent messages via REST each time: the bot keeps
 * no store of users' messages.
 */
async function threadTopic(thread: ThreadChannel, beforeId: string, botId: string): Promise<string | undefined> {
  const recent = await thread.messages.fetch({ limit: THREAD_HISTORY, before: beforeId, cache: false });
  const earlierQuestions = [...recent.values()]
    .filter((earlier) => !earlier.author.bot && earlier.mentions.users.has(botId))
    .sort((a, b) => b.createdTimestamp - a.createdTimestamp)
    .map((earlier) => stripBotMention(earlier.content, botId))
    .filter(Boolean);
  return topicQuestion(earlierQuestions, thread.ownerId === botId ? thread.name : undefined);
}
