import { type ChatInputCommandInteraction, SlashCommandBuilder } from 'discord.js';
import { validateAskOptions } from '../../core/ask-options.js';
import type { AskOptions } from '../../core/types.js';
import { MAX_QUESTION_CHARS } from '../../search/question.js';
import type { SearchSession } from '../context.js';
import { publisherChoices } from '../input/choices.js';
import { slashOptionLabel } from '../input/slash-options.js';
import { askerOf } from '../queue/queue-bound.js';
import type { SlashCommand } from '../registry.js';
import { SEARCH_PAGE_SIZE } from '../render/paging.js';
import { renderSearchPage } from '../render/search-page.js';
import { replyPrivately, toDeferredReply } from '../sending/send.js';
import { sendAnswer } from '../sending/send-answer.js';

/** Fetched once and paged through in memory: three pages of passages. */
const MAX_PASSAGES = 3 * SEARCH_PAGE_SIZE;

export default {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('List more passages for a query, several per article, with paging')
    .addStringOption((option) =>
      option.setName('query').setDescription('Words or a question to look for').setRequired(true).setMaxLength(MAX_QUESTION_CHARS),
    )
    .addStringOption((option) => option.setName('publisher').setDescription('Only articles from this publisher').setAutocomplete(true))
    .addStringOption((option) =>
      option.setName('after').setDescription('Only articles dated on or after (YYYY-MM-DD)').setMinLength(10).setMaxLength(10),
    )
    .addStringOption((option) =>
      option.setName('before').setDescription('Only articles dated on or before (YYYY-MM-DD)').setMinLength(10).setMaxLength(10),
    ),
  cooldown: true,
  answersHere: true,

  async autocomplete(interaction, context) {
    await interaction.respond(publisherChoices(context.engineQueue.documents(), interaction.options.getFocused()));
  },

  async execute(interaction, context) {
    const query = interaction.options.getString('query', true).trim();
    const filters = readFilters(interaction);
    if (!query) {
      await replyPrivately(interaction, 'Please type something to search for.');
      return;
    }
    await interaction.deferReply();
    // The server's hidden articles stay out; the channel's default scope does not narrow an explicit search.
    const hidden = interaction.guildId ? await context.community.hidden(interaction.guildId) : { documents: [], publishers: [] };
    const answer = await context.engineQueue.ask(
      query,
      { k: MAX_PASSAGES, allowSameDocument: true, ...filters, hiddenDocuments: hidden.documents, hiddenPublishers: hidden.publishers },
      askerOf(interaction),
    );
    if (!answer.answered || answer.results.length === 0) {
      await sendAnswer(context, answer, { prompt: { label: 'Question', text: query } }, interaction, toDeferredReply(interaction));
      return;
    }
    const session: SearchSession = { ownerId: interaction.user.id, view: { query, filters: describe(filters), results: answer.results } };
    await context.searches.send(session, (key) => renderSearchPage({ ...session.view, key }, 0), toDeferredReply(interaction));
  },
} satisfies SlashCommand;

/** The optional filters, checked before deferring so a mistake is answered privately. */
function readFilters(interaction: ChatInputCommandInteraction): AskOptions {
  const read = (name: string) => interaction.options.getString(name) ?? undefined;
  return validateAskOptions({ publisher: read('publisher'), after: read('after'), before: read('before') }, slashOptionLabel);
}

function describe(filters: AskOptions): string[] {
  return [
    ...(filters.publisher ? [`publisher “${filters.publisher}”`] : []),
    ...(filters.after ? [`after ${filters.after}`] : []),
    ...(filters.before ? [`before ${filters.before}`] : []),
  ];
}
