import {
  ChannelType,
  type ChatInputCommandInteraction,
  channelMention,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import { RESULTS_RANGE } from '../../community/settings.js';
import type { Answer } from '../../core/types.js';
import { MAX_QUESTION_CHARS } from '../../search/question.js';
import type { BotContext } from '../context.js';
import { askOptionsAt, placeOf, settingsAt } from '../place.js';
import { askerOf } from '../queue/queue-bound.js';
import type { SlashCommand } from '../registry.js';
import { DISCORD_LIMITS } from '../render/limits.js';
import { truncate } from '../render/markdown.js';
import { renderNotice } from '../render/notice.js';
import { replyPrivately, toDeferredReply } from '../sending/send.js';
import { sendAnswer } from '../sending/send-answer.js';

const THREAD_PERMISSIONS = [PermissionFlagsBits.CreatePublicThreads, PermissionFlagsBits.SendMessagesInThreads];

export default {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Answer a question with word-for-word quotes from the articles')
    .addStringOption((option) =>
      option.setName('question').setDescription('What do you want to know?').setRequired(true).setMaxLength(MAX_QUESTION_CHARS),
    )
    .addIntegerOption((option) =>
      option
        .setName('results')
        .setDescription(`How many quotes (${RESULTS_RANGE.min}–${RESULTS_RANGE.max}; default: this channel's setting)`)
        .setMinValue(RESULTS_RANGE.min)
        .setMaxValue(RESULTS_RANGE.max),
    )
    .addBooleanOption((option) =>
      option.setName('private').setDescription("Only you see the answer, with a Share button (default: this channel's setting)"),
    )
    .addBooleanOption((option) => option.setName('thread').setDescription('Answer in a new thread started from this channel')),
  cooldown: true,
  answersHere: true,

  async execute(interaction, context) {
    const question = interaction.options.getString('question', true).trim();
    if (!question) {
      await replyPrivately(interaction, 'Please type a question, e.g. `/ask question: Why did Lavrov visit Havana?`');
      return;
    }
    const place = placeOf(interaction.guildId, interaction.channelId, interaction.channel);
    const settings = await settingsAt(context, place);
    const inThread = interaction.options.getBoolean('thread') ?? false;
    const isPrivate = !inThread && (interaction.options.getBoolean('private') ?? settings.private);
    await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
    const options = await askOptionsAt(context, place, settings, interaction.options.getInteger('results') ?? undefined);
    const answer = await context.engineQueue.ask(question, options, askerOf(interaction));
    const prompt = { label: 'Question', text: question } as const;
    if (inThread) {
      if (await answerInNewThread(interaction, context, question, answer)) return;
      await sendAnswer(
        context,
        answer,
        { prompt, note: 'I cannot start a thread here, so the answer is below.' },
        interaction,
        toDeferredReply(interaction),
      );
      return;
    }
    await sendAnswer(context, answer, { prompt, shareable: isPrivate }, interaction, toDeferredReply(interaction));
  },
} satisfies SlashCommand;

/**
 * Starts a public thread named after the question, answers inside it, and points the deferred reply at
 * it. False when the channel cannot hold threads (a thread itself, a DM, a forum...) or the bot may not start one.
 */
async function answerInNewThread(
  interaction: ChatInputCommandInteraction,
  context: BotContext,
  question: string,
  answer: Answer,
): Promise<boolean> {
  const allowed = interaction.appPermissions?.has(THREAD_PERMISSIONS) ?? false;
  const channel = interaction.channel ?? (await interaction.client.channels.fetch(interaction.channelId));
  if (!allowed || (channel?.type !== ChannelType.GuildText && channel?.type !== ChannelType.GuildAnnouncement)) return false;
  const thread = await channel.threads.create({
    name: truncate(question, DISCORD_LIMITS.threadName),
    autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
    reason: `/ask by ${interaction.user.id}`,
  });
  const place = { guildId: interaction.guildId, channelId: thread.id };
  await sendAnswer(context, answer, { prompt: { label: 'Question', text: question } }, place, (payload) => thread.send(payload));
  await interaction.editReply(renderNotice(`Answered in ${channelMention(thread.id)}.`));
  return true;
}
