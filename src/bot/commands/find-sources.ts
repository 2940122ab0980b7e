import { ApplicationCommandType, ContextMenuCommandBuilder, MessageFlags } from 'discord.js';
import { DEFAULT_RESULTS } from '../../core/ask-options.js';
import { truncate } from '../markdown.js';
import { askerOf } from '../queue-bound.js';
import type { MessageCommand } from '../registry.js';
import { sendAnswer } from '../send-answer.js';
import { replyPrivately, toDeferredReply } from '../send.js';

/** Long messages are cut before retrieval: a claim is a sentence or two, not an essay. */
const CLAIM_MAX_LENGTH = 500;

export default {
  data: new ContextMenuCommandBuilder().setName('Find sources').setType(ApplicationCommandType.Message),
  help: 'quotes the passages that support or discuss the claim in that message.',
  cooldown: true,

  async execute(interaction, context) {
    const claim = interaction.targetMessage.content.trim();
    if (!claim) {
      await replyPrivately(interaction, 'That message has no text to look up — **Find sources** works on messages that state a claim in words.');
      return;
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const answer = await context.engineQueue.ask(truncate(claim, CLAIM_MAX_LENGTH), { k: DEFAULT_RESULTS }, askerOf(interaction));
    await sendAnswer(context, answer, { prompt: { label: 'Claim', text: claim } }, interaction, toDeferredReply(interaction));
  },
} satisfies MessageCommand;
