import type { Message, ThreadChannel } from 'discord.js';
import type { BotContext } from '../context.js';
import { askOptionsAt, type Place, placeOf, settingsAt } from '../place.js';
import { renderNotice } from '../render/notice.js';
import { sendAnswer } from '../sending/send-answer.js';
import { type Entry, sharedRun } from '../shared-run.js';
import { autoAnswer, repliedToBot, topicOfReply } from './auto-answer.js';
import { combineWithTopic, isFollowUp, stripBotMention, topicQuestion } from './follow-up.js';

/** How far back a thread is read for the question a follow-up refers to. */
const THREAD_HISTORY = 25;
/** Message ids already answered: Discord may deliver a message twice (a resumed session), and it is answered once. */
const REMEMBERED_MESSAGES = 2_000;

export const MENTION_USAGE =
  'Ask me a question after the mention, e.g. "@me Why did Lavrov visit Havana?" — or use `/ask`. `/help` shows everything I can do.';

/**
 * Every message in a server: one that mentions the bot, or replies to one of its answers, is answered
 * as a reply; any other goes to auto-answer (auto-answer.ts), which answers only in the channels an
 * admin chose and only when confident. Never the bot's own messages or other bots'.
 */
export function createMentionHandler(context: BotContext): (message: Message) => Promise<void> {
  const seen = new Set<string>();
  return async (message) => {
    const botId = message.client.user.id;
    if (message.author.bot || message.system || !message.inGuild() || seen.has(message.id)) return;
    const place = placeOf(message.guildId, message.channelId, message.channel);
    const mentioned = message.mentions.users.has(botId);
    const reply = !mentioned && (await repliedToBot(message, botId));
    if (!mentioned && !reply) {
      await autoAnswer(context, message, place, remember);
      return;
    }
    remember(message.id);
    const entry: Entry = {
      kind: 'mention',
      name: 'mention',
      userId: message.author.id,
      guildId: message.guildId,
      place,
      silentWhereNotAnswering: true,
      tell: (text) => message.reply(renderNotice(text)),
    };
    // Without the Message Content intent this is empty unless Discord shares it, so the hint also covers that case.
    const question = stripBotMention(message.content, botId);
    // A bare mention gets the hint without starting the user's cooldown.
    if (!question) await sharedRun(context, entry, { answersHere: true }, () => entry.tell(MENTION_USAGE));
    else
      await sharedRun(context, entry, { answersHere: true, cooldown: true }, () =>
        answerMention(message, question, botId, place, context, reply),
      );
  };

  function remember(id: string): void {
    seen.add(id);
    if (seen.size > REMEMBERED_MESSAGES) seen.delete(seen.values().next().value!);
  }
}

async function answerMention(
  message: Message<true>,
  question: string,
  botId: string,
  place: Place,
  context: BotContext,
  isReply: boolean,
): Promise<void> {
  const channel = message.channel;
  const topic = !isFollowUp(question)
    ? undefined
    : isReply
      ? await topicOfReply(message, botId)
      : channel.isThread()
        ? await threadTopic(channel, message.id, botId)
        : undefined;
  await channel.sendTyping().catch(() => undefined);
  const settings = await settingsAt(context, place);
  const answer = await context.engineQueue.ask(
    topic ? combineWithTopic(topic, question) : question,
    await askOptionsAt(context, place, settings),
    { userId: message.author.id },
  );
  const where = { guildId: message.guildId, channelId: message.channelId, questionUrl: message.url };
  await sendAnswer(context, answer, topic ? { followUpTo: topic } : {}, where, (payload) => message.reply(payload));
}

/**
 * The earlier question of a thread, read from its recent messages via REST each time: the bot keeps
 * no store of users' messages.
 */
export async function threadTopic(thread: ThreadChannel, beforeId: string, botId: string): Promise<string | undefined> {
  const recent = await thread.messages.fetch({ limit: THREAD_HISTORY, before: beforeId, cache: false });
  const earlierQuestions = [...recent.values()]
    .filter((earlier) => !earlier.author.bot && earlier.mentions.users.has(botId))
    .sort((a, b) => b.createdTimestamp - a.createdTimestamp)
    .map((earlier) => stripBotMention(earlier.content, botId))
    .filter(Boolean);
  return topicQuestion(earlierQuestions, thread.ownerId === botId ? thread.name : undefined);
}
