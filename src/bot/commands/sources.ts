import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { publisherChoices } from '../choices.js';
import { parsePageButton } from '../custom-ids.js';
import type { SlashCommand } from '../registry.js';
import { renderSourcesPage } from '../render.js';
import { decodeFilterKey, describeFilter, encodeFilterKey, filterDocuments, folderChoices, type SourceFilter } from '../source-filter.js';

const NAME = 'sources';

export default {
  data: new SlashCommandBuilder()
    .setName(NAME)
    .setDescription('List the articles I can quote')
    .addStringOption((option) => option.setName('folder').setDescription('Only articles in this folder of the corpus').setAutocomplete(true).setMaxLength(200))
    .addStringOption((option) => option.setName('publisher').setDescription('Only articles from this publisher').setAutocomplete(true).setMaxLength(100)),

  async autocomplete(interaction, context) {
    const focused = interaction.options.getFocused(true);
    const documents = context.answers.documents();
    await interaction.respond(focused.name === 'folder' ? folderChoices(documents, focused.value) : publisherChoices(documents, focused.value));
  },

  async execute(interaction, context) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await context.answers.refresh();
    const filter: SourceFilter = {
      folder: interaction.options.getString('folder') ?? undefined,
      publisher: interaction.options.getString('publisher') ?? undefined,
    };
    await interaction.editReply(render(context.answers.documents(), filter, 0));
  },

  /** The buttons carry the page and the filter, so they keep working as long as the message exists. */
  async onButton(interaction, context, parts) {
    const target = parsePageButton(parts);
    await interaction.update(render(context.answers.documents(), decodeFilterKey(target?.key), target?.page ?? 0));
  },
} satisfies SlashCommand;

function render(documents: Parameters<typeof filterDocuments>[0], filter: SourceFilter, page: number) {
  return renderSourcesPage(filterDocuments(documents, filter), page, NAME, { key: encodeFilterKey(filter), filters: describeFilter(filter) });
}
