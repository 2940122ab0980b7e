import { InteractionContextType, MessageFlags, SlashCommandBuilder, type SlashCommandSubcommandBuilder } from 'discord.js';
import { UserError } from '../../core/errors.js';
import { withoutCredentials } from '../../core/urls.js';
import { ImportError } from '../../import/errors.js';
import { addToCorpus, describeCorpus, removeFromCorpus } from '../corpus/corpus-admin.js';
import { setHidden } from '../corpus/corpus-hiding.js';
import { documentChoices, publisherChoices } from '../input/choices.js';
import { ADMIN_PERMISSION } from '../preconditions.js';
import type { SlashCommand } from '../registry.js';
import { renderCorpusRefused } from '../render/corpus.js';
import { replyPrivately } from '../sending/send.js';

export default {
  data: new SlashCommandBuilder()
    .setName('corpus')
    .setDescription('Admins: add, remove or inspect the articles I quote')
    // Discord hides the command from other members; the `admin` precondition checks again.
    .setDefaultMemberPermissions(ADMIN_PERMISSION)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      sub
        .setName('add')
        .setDescription('Add an article from a file (.md, .txt, .html) or a web page')
        .addAttachmentOption((option) => option.setName('file').setDescription('A .md, .txt or .html file'))
        .addStringOption((option) => option.setName('url').setDescription('A web page with a news article').setMaxLength(2000))
        .addBooleanOption((option) =>
          option.setName('replace').setDescription('Replace an article of the same URL even if it came from somewhere else'),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('remove')
        .setDescription('Remove an article')
        .addStringOption((option) =>
          option.setName('document').setDescription('Start typing a title or document id').setRequired(true).setAutocomplete(true),
        ),
    )
    .addSubcommand((sub) => sub.setName('status').setDescription('Documents, chunks, last ingest, and what was skipped'))
    .addSubcommand((sub) =>
      hideOptions(sub.setName('hide').setDescription('Keep an article or a publisher out of answers in this server (files stay)')),
    )
    .addSubcommand((sub) => hideOptions(sub.setName('unhide').setDescription('Let a hidden article or publisher be quoted again'))),
  help: 'Admins (Manage Server): `/corpus add` a file or URL, `/corpus remove` an article, `/corpus status`, `/corpus hide|unhide` an article or publisher',
  admin: true,

  async autocomplete(interaction, context) {
    const focused = interaction.options.getFocused(true);
    const documents = context.engineQueue.documents();
    await interaction.respond(
      focused.name === 'publisher' ? publisherChoices(documents, focused.value) : documentChoices(documents, focused.value),
    );
  },

  async execute(interaction, context) {
    const subcommand = interaction.options.getSubcommand();
    if (subcommand === 'hide' || subcommand === 'unhide') {
      const target = { document: interaction.options.getString('document'), publisher: interaction.options.getString('publisher') };
      try {
        const reply = await setHidden(context, interaction.guildId!, target, subcommand === 'hide');
        context.logger.info(
          { event: `corpus-${subcommand}`, userId: interaction.user.id, guildId: interaction.guildId },
          'corpus visibility changed by an admin',
        );
        await interaction.reply({ ...reply, flags: MessageFlags.Ephemeral });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        await replyPrivately(interaction, `Nothing was changed: ${error.message}.`);
      }
      return;
    }
    const file = subcommand === 'add' ? interaction.options.getAttachment('file') : null;
    const url = subcommand === 'add' ? interaction.options.getString('url') : null;
    if (subcommand === 'add' && Boolean(file) === Boolean(url)) {
      await replyPrivately(interaction, 'Give either a `file` or a `url` to add, not both.');
      return;
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    try {
      const reply =
        subcommand === 'add'
          ? await addToCorpus(context, { attachment: file, url, replace: interaction.options.getBoolean('replace') ?? false })
          : subcommand === 'remove'
            ? await removeFromCorpus(context, interaction.options.getString('document', true))
            : await describeCorpus(context);
      context.logger.info(
        {
          event: `corpus-${subcommand}`,
          userId: interaction.user.id,
          guildId: interaction.guildId,
          source: file?.name ?? (url ? withoutCredentials(url) : undefined),
        },
        'corpus command by an admin',
      );
      await interaction.editReply(reply);
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      context.logger.info(
        { event: `corpus-${subcommand}-refused`, userId: interaction.user.id, reason: error.code },
        'corpus change refused',
      );
      await interaction.editReply(renderCorpusRefused(error.message));
    }
  },
} satisfies SlashCommand;

function hideOptions(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub
    .addStringOption((option) => option.setName('document').setDescription('Start typing a title or document id').setAutocomplete(true))
    .addStringOption((option) =>
      option.setName('publisher').setDescription('Every article of this publisher').setAutocomplete(true).setMaxLength(100),
    );
}
