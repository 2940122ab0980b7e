import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { buildReport } from '../../community/report.js';
import { ADMIN_PERMISSION } from '../preconditions.js';
import type { SlashCommand } from '../registry.js';
import { renderReport } from '../render/report.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_DAYS = 7;

export default {
  data: new SlashCommandBuilder()
    .setName('report')
    .setDescription('Admins: what was asked here, what was not covered, which quotes were marked wrong')
    .setDefaultMemberPermissions(ADMIN_PERMISSION)
    .setContexts(InteractionContextType.Guild)
    .addIntegerOption((o) =>
      o.setName('days').setDescription(`The last N days (default ${DEFAULT_DAYS})`).setMinValue(1).setMaxValue(3650),
    ),
  help: 'Admins (Manage Server): questions asked, the share answered, questions not covered and quotes marked wrong, for the last N days',
  admin: true,

  async execute(interaction, context) {
    const days = interaction.options.getInteger('days') ?? DEFAULT_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      await interaction.reply({
        content: '`days` must be a whole number from 1 to 3650.',
        flags: MessageFlags.Ephemeral,
        allowedMentions: { parse: [] },
      });
      return;
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const data = await context.community.reportData(interaction.guildId!, Date.now() - days * DAY_MS);
    await interaction.editReply(renderReport(buildReport(data, days), (id) => context.engineQueue.getDocument(id)));
  },
} satisfies SlashCommand;
