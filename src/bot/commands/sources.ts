import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { scopeChoices } from '../input/source-filter.js';
import type { SlashCommand } from '../registry.js';
import { renderSourcesPage } from '../render/sources.js';

export default {
  data: new SlashCommandBuilder()
    .setName('sources')
    .setDescription('List the articles I can quote')
    .addStringOption((option) =>
      option.setName('folder').setDescription('Only articles in this folder of the corpus').setAutocomplete(true).setMaxLength(200),
    )
    .addStringOption((option) =>
      option.setName('publisher').setDescription('Only articles from this publisher').setAutocomplete(true).setMaxLength(100),
    ),

  async autocomplete(interaction, context) {
    await interaction.respond(scopeChoices(context.engineQueue.documents(), interaction.options.getFocused(true)));
  },

  async execute(interaction, context) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await context.engineQueue.refresh();
    const filter = {
      folder: interaction.options.getString('folder') ?? undefined,
      publisher: interaction.options.getString('publisher') ?? undefined,
    };
    await interaction.editReply(renderSourcesPage(context.engineQueue.documents(), 0, filter));
  },
} satisfies SlashCommand;
