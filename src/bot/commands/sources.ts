import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { parsePageButton } from '../custom-ids.js';
import type { SlashCommand } from '../registry.js';
import { renderSourcesPage } from '../render/sources.js';

const NAME = 'sources';

export default {
  data: new SlashCommandBuilder().setName(NAME).setDescription('List the articles I can quote'),

  async execute(interaction, context) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await context.engineQueue.refresh();
    await interaction.editReply(renderSourcesPage(context.engineQueue.documents(), 0));
  },

  /** The page number is all the buttons need, so they carry it and keep working as long as the message exists. */
  async onButton(interaction, context, parts) {
    const target = parsePageButton(parts);
    await interaction.update(renderSourcesPage(context.engineQueue.documents(), target?.page ?? 0));
  },
} satisfies SlashCommand;
