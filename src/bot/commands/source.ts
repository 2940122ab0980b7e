import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { byFirstReport } from '../../core/citation.js';
import type { DocumentMeta } from '../../core/types.js';
import { documentChoices, findDocument } from '../input/choices.js';
import type { SlashCommand } from '../registry.js';
import { renderNotice } from '../render/notice.js';
import { renderSource } from '../render/sources.js';

export default {
  data: new SlashCommandBuilder()
    .setName('source')
    .setDescription("Show one article's details and opening lines")
    .addStringOption((option) =>
      option.setName('document').setDescription('Start typing a title or document id').setRequired(true).setAutocomplete(true),
    ),

  async autocomplete(interaction, context) {
    await interaction.respond(documentChoices(context.engineQueue.documents(), interaction.options.getFocused()));
  },

  async execute(interaction, context) {
    const wanted = interaction.options.getString('document', true);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await context.engineQueue.refresh();
    const documents = context.engineQueue.documents();
    const meta = findDocument(documents, wanted);
    const document = meta && context.engineQueue.getDocument(meta.id);
    await interaction.editReply(
      document
        ? renderSource(document, storyTimeline(meta, documents))
        : renderNotice('No article matches that. Start typing a title and pick one of the suggestions, or see `/sources`.'),
    );
  },
} satisfies SlashCommand;

/** The article and its story's other copies, earliest report first (just the article when it has none). */
function storyTimeline(meta: DocumentMeta, documents: DocumentMeta[]): DocumentMeta[] {
  const byId = new Map(documents.map((doc) => [doc.id, doc]));
  const copies = (meta.copies ?? []).map((id) => byId.get(id)).filter((doc): doc is DocumentMeta => doc !== undefined);
  return [meta, ...copies].sort(byFirstReport);
}
