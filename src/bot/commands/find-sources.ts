import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  MessageFlags,
} from 'discord.js';
import { asksAQuestion } from '../../search/question.js';
import { askOptionsAt, placeOf, settingsAt } from '../place.js';
import { askerOf } from '../queue/queue-bound.js';
import type { MessageCommand } from '../registry.js';
import { truncate } from '../render/markdown.js';
import { replyPrivately, toDeferredReply } from '../sending/send.js';
import { sendAnswer } from '../sending/send-answer.js';

/** Long messages are cut before retrieval: a claim is a sentence or two, not an essay. */
const CLAIM_MAX_LENGTH = 500;

export default {
  data: new ContextMenuCommandBuilder()
    .setName('Find sources')
    .setType(ApplicationCommandType.Message)
    // Also a user install: a user who added the app can look up claims in servers the bot is not in, and in DMs.
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel),
  help: 'quotes the passages that support or discuss the claim in that message (also as a user install, where I am not a member).',
  cooldown: true,
  answersHere: true,

  async execute(interaction, context) {
    const claim = interaction.targetMessage.content.trim();
    if (!claim) {
      await replyPrivately(
        interaction,
        'That message has no text to look up — **Find sources** works on messages that state a claim in words.',
      );
      return;
    }
    // Settings, hidden articles and /report belong to servers the bot is a member of; elsewhere the defaults apply.
    const guildId = interaction.guild ? interaction.guildId : null;
    const place = placeOf(guildId, interaction.channelId, interaction.channel);
    const settings = await settingsAt(context, place);
    await interaction.deferReply(settings.private ? { flags: MessageFlags.Ephemeral } : {});
    // A claim is judged by closeness, not by the quote reader (a question's reader refused 7% of
    // SciFact's train claims: scripts/claims-eval.ts); a message that asks is answered as a question.
    const options = { ...(await askOptionsAt(context, place, settings)), claim: !asksAQuestion(claim) };
    const answer = await context.engineQueue.ask(truncate(claim, CLAIM_MAX_LENGTH), options, askerOf(interaction));
    const view = { prompt: { label: 'Claim', text: claim }, shareable: settings.private } as const;
    await sendAnswer(context, answer, view, place, toDeferredReply(interaction));
  },
} satisfies MessageCommand;
