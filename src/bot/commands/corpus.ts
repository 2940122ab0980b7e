import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { ImportError } from '../../import/errors.js';
import { documentChoices } from '../choices.js';
import { addToCorpus, CORPUS_ADMIN_PERMISSION, describeCorpus, isCorpusAdmin, removeFromCorpus } from '../corpus-admin.js';
import type { SlashCommand } from '../registry.js';
import { renderNotice } from '../render.js';

const NOT_ADMIN = 'Only members with the **Manage Server** permission can change the articles I quote.';

export default {
  data: new SlashCommandBuilder()
    .setName('corpus')
    .setDescription('Admins: add, remove or inspect the articles I quote')
    // Discord hides the command from other members; execute checks again (server settings can override this).
    .setDefaultMemberPermissions(CORPUS_ADMIN_PERMISSION)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      sub
        .setName('add')
        .setDescription('Add an article from a file (.md, .txt, .html) or a web page')
        .addAttachmentOption((option) => option.setName('file').setDescription('A .md, .txt or .html file'))
        .addStringOption((option) => option.setName('url').setDescription('A web page with a news article').setMaxLength(2000)),
    )
    .addSubcommand((sub) =>
      sub
        .setName('remove')
        .setDescription('Remove an article')
        .addStringOption((option) => option.setName('document').setDescription('Start typing a title or document id').setRequired(true).setAutocomplete(true)),
    )
    .addSubcommand((sub) => sub.setName('status').setDescription('Documents, chunks, last ingest, and what was skipped')),

  help: 'Admins (Manage Server): `/corpus add` a file or URL, `/corpus remove` an article, `/corpus status`',

  async autocomplete(interaction, context) {
    if (!isCorpusAdmin(interaction)) return interaction.respond([]);
    await interaction.respond(documentChoices(context.answers.documents(), interaction.options.getFocused()));
  },

  async execute(interaction, context) {
    const subcommand = interaction.options.getSubcommand();
    if (!isCorpusAdmin(interaction)) {
      context.logger.warn({ event: 'corpus-refused', subcommand, userId: interaction.user.id, guildId: interaction.guildId }, 'corpus command without Manage Server');
      await interaction.reply({ ...renderNotice(NOT_ADMIN), flags: MessageFlags.Ephemeral });
      return;
    }
    const file = subcommand === 'add' ? interaction.options.getAttachment('file') : null;
    const url = subcommand === 'add' ? interaction.options.getString('url') : null;
    if (subcommand === 'add' && Boolean(file) === Boolean(url)) {
      await interaction.reply({ ...renderNotice('Give either a `file` or a `url` to add, not both.'), flags: MessageFlags.Ephemeral });
      return;
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    try {
      const reply =
        subcommand === 'add'
          ? await addToCorpus(context, { attachment: file, url })
          : subcommand === 'remove'
            ? await removeFromCorpus(context, interaction.options.getString('document', true))
            : await describeCorpus(context);
      context.logger.info({ event: `corpus-${subcommand}`, userId: interaction.user.id, guildId: interaction.guildId, source: file?.name ?? url ?? undefined }, 'corpus command by an admin');
      await interaction.editReply(reply);
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      context.logger.info({ event: `corpus-${subcommand}-refused`, userId: interaction.user.id, reason: error.code }, 'corpus change refused');
      await interaction.editReply(renderNotice(`Nothing was added: ${error.message}`));
    }
  },
} satisfies SlashCommand;
