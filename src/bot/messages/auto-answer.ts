import { ChannelType, type Message } from 'discord.js';
import { answersHere, DEFAULT_SETTINGS } from '../../community/settings.js';
import type { Answer } from '../../core/types.js';
import { MAX_QUESTION_CHARS } from '../../search/question.js';
import type { BotContext } from '../context.js';
import { askOptionsAt, type Place, settingsAt } from '../place.js';
import { truncate } from '../render/markdown.js';
import { sendAnswer } from '../sending/send-answer.js';
import { sharedRun } from '../shared-run.js';
import { combineWithTopic, isFollowUp, stripBotMention } from './follow-up.js';

/**
 * Auto-answer answers a message nobody addressed to the bot only when its first quote's `score` (the
 * estimated chance that the quote holds the answer) reaches this, unless a server or channel sets its
 * own (`auto_answer_confidence`, in percent). On the 20 answerable seed questions the first quote
 * scores 0.548–0.996, and none of the 12 off-topic ones is answered (scripts/auto-answer-scores.ts);
 * higher values trade right answers for fewer wrong ones (docs/community.md has the measurements).
 */
export const AUTO_ANSWER_MIN_SCORE = DEFAULT_SETTINGS.autoAnswerConfidence / 100;

export function isConfident(answer: Answer, minScore = AUTO_ANSWER_MIN_SCORE): boolean {
  return answer.answered && (answer.results[0]?.score ?? 0) >= minScore;
}

/** A forum post's question: its title and its first message, which Discord gives the post's (thread's) id. */
export function forumQuestion(title: string, content: string): string {
  const text = content.trim();
  return truncate(
    text.toLowerCase().includes(title.trim().toLowerCase()) ? text : [title.trim(), text].filter(Boolean).join(' — '),
    MAX_QUESTION_CHARS,
  );
}

/** A reply (Discord's reply feature, with or without the ping) to one of the bot's messages. */
export async function repliedToBot(message: Message, botId: string): Promise<boolean> {
  return message.reference?.messageId !== undefined && message.mentions.repliedUser?.id === botId;
}

/**
 * The question the replied-to answer was for, fetched from Discord (nothing of users' messages is kept):
 * the message that answer replied to, or the "Question:" line of an /ask answer.
 */
export async function topicOfReply(message: Message, botId: string): Promise<string | undefined> {
  const answer = await message.fetchReference().catch(() => null);
  if (!answer || answer.author.id !== botId) return undefined;
  const asked = answer.reference?.messageId ? await answer.fetchReference().catch(() => null) : null;
  if (asked) return stripBotMention(asked.content, botId) || undefined;
  return /^\*\*Question:\*\* (.+)$/m.exec(answer.content)?.[1];
}

/**
 * A message nobody addressed to the bot, in a channel (or a thread or forum post under one) with
 * auto-answer on: answered as a reply when confident, silence otherwise. With "mention needed" off
 * every message there is answered, "not covered" included. Failures are logged, never posted.
 */
export async function autoAnswer(context: BotContext, message: Message<true>, place: Place, remember: (id: string) => void): Promise<void> {
  const settings = await settingsAt(context, place);
  const always = !settings.mentionNeeded;
  if (!answersHere(settings) || (!settings.autoAnswer && !always)) return;
  const question = questionOf(message);
  if (!question) return;
  remember(message.id);
  const entry = {
    kind: 'auto-answer' as const,
    name: 'auto-answer',
    userId: message.author.id,
    guildId: message.guildId,
    place,
    silentWhereNotAnswering: true,
    tell: async () => undefined,
  };
  // The cooldown keeps one chatty user from filling the queue; it is never announced here.
  await sharedRun(context, entry, { cooldown: true }, async () => {
    const topic = await followUpTopic(message, question);
    const answer = await context.engineQueue.ask(
      topic ? combineWithTopic(topic, question) : question,
      await askOptionsAt(context, place, settings),
      { userId: message.author.id },
    );
    if (!always && !isConfident(answer, settings.autoAnswerConfidence / 100)) {
      context.logger.info(
        { event: 'auto-answer-silent', guildId: message.guildId, channelId: message.channelId, score: answer.results[0]?.score ?? null },
        'not confident; staying silent',
      );
      return;
    }
    const where = { guildId: message.guildId, channelId: message.channelId, questionUrl: message.url };
    await sendAnswer(context, answer, topic ? { followUpTo: topic } : {}, where, (payload) => message.reply(payload));
  });
}

function questionOf(message: Message<true>): string {
  const channel = message.channel;
  if (channel.isThread() && isForum(channel.parent?.type) && message.id === channel.id) return forumQuestion(channel.name, message.content);
  return truncate(message.content.trim(), MAX_QUESTION_CHARS);
}

/** A short message later in a forum post is read together with the post's question. */
async function followUpTopic(message: Message<true>, question: string): Promise<string | undefined> {
  const channel = message.channel;
  if (!channel.isThread() || message.id === channel.id || !isForum(channel.parent?.type) || !isFollowUp(question)) return undefined;
  const starter = await channel.fetchStarterMessage().catch(() => null);
  return starter ? forumQuestion(channel.name, starter.content) : channel.name;
}

function isForum(type: ChannelType | undefined): boolean {
  return type === ChannelType.GuildForum || type === ChannelType.GuildMedia;
}
