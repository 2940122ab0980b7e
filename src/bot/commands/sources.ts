import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../registry.js';
import { renderSourcesPage } from '../render/sources.js';

export default {
  data: new SlashCommandBuilder().setName('sources').setDescription('List the articles I can quote'),

  async execute(interaction, context) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await context.engineQueue.refresh();
    await interaction.editReply(renderSourcesPage(context.engineQueue.documents(), 0));
  },
} satisfies SlashCommand;
