import type { Message, ThreadChannel } from 'discord.js';
import { DEFAULT_RESULTS } from '../core/ask-options.js';
import type { BotContext } from './context.js';
import { combineWithTopic, isFollowUp, stripBotMention, topicQuestion } from './follow-up.js';
import { renderNotice } from './render/notice.js';
import { sendAnswer } from './send-answer.js';
import { sharedRun, type Entry } from './shared-run.js';

/** How far back a thread is read for the question a follow-up refers to. */
const THREAD_HISTORY = 25;

export const MENTION_USAGE =
  'Ask me a question after the mention, e.g. "@me Why did Lavrov visit Havana?" — or use `/ask`. `/help` shows everything I can do.';

/** Answers messages that mention the bot (or reply to it with a ping), as a reply to that message. */
export function createMentionHandler(context: BotContext): (message: Message) => Promise<void> {
  return async (message) => {
    const botId = message.client.user.id;
    if (message.author.bot || !message.inGuild() || !message.mentions.users.has(botId)) return;
    const entry: Entry = {
      kind: 'mention',
      name: 'mention',
      userId: message.author.id,
      guildId: message.guildId,
      tell: (text) => message.reply(renderNotice(text)),
    };
    // Without the Message Content intent this is empty unless Discord shares it, so the hint also covers that case.
    const question = stripBotMention(message.content, botId);
    // A bare mention gets the hint without starting the user's cooldown.
    if (!question) await sharedRun(context, entry, {}, () => entry.tell(MENTION_USAGE));
    else await sharedRun(context, entry, { cooldown: true }, () => answerMention(message, question, botId, context));
  };
}

async function answerMention(message: Message<true>, question: string, botId: string, context: BotContext): Promise<void> {
  const channel = message.channel;
  const topic = channel.isThread() && isFollowUp(question) ? await threadTopic(channel, message.id, botId) : undefined;
  await channel.sendTyping().catch(() => undefined);
  const answer = await context.engineQueue.ask(topic ? combineWithTopic(topic, question) : question, { k: DEFAULT_RESULTS }, { userId: message.author.id });
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
