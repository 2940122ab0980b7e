import type { APIEmbed } from 'discord.js';
import { byline } from '../../core/metadata-statement.js';
import { count } from '../../core/plural.js';
import type { AnswerResult } from '../../core/types.js';
import { BUTTON_NAMESPACES } from '../buttons/custom-ids.js';
import { type MessagePayload, messagePayload } from '../sending/payload.js';
import { DISCORD_LIMITS } from './limits.js';
import { fitSourceText, truncate } from './markdown.js';
import { resultText } from './metadata-answer.js';
import { pagerRow } from './pager-row.js';
import { pageOf, SEARCH_PAGE_SIZE } from './paging.js';
import { ATTRIBUTION_MAX, EMBED_COLOR, listLine } from './parts.js';

const SEARCH_QUOTE_MAX = 280;

export interface SearchView {
  key: string;
  query: string;
  /** Human-readable filters, e.g. `publisher "tass"`. */
  filters: string[];
  results: AnswerResult[];
}

/** One page of a compact passage list with Previous/Next buttons. */
export function renderSearchPage(view: SearchView, page: number): MessagePayload {
  const { items, current, pages, firstNumber } = pageOf(view.results, page, SEARCH_PAGE_SIZE);
  const entryMax = Math.floor(DISCORD_LIMITS.embedDescription / SEARCH_PAGE_SIZE) - 2;
  const lines = items.map((result, index) => {
    const source = listLine(
      result.title,
      result.link ?? result.url,
      [byline(result.author), result.publisher, result.date],
      result.docId,
      entryMax - 60,
    );
    const quoteRoom = Math.max(40, Math.min(SEARCH_QUOTE_MAX, entryMax - source.length - 16));
    return truncate(`**${firstNumber + index}.** ${resultText(result, quoteRoom + 2, { quoted: false })}\n   — ${source}`, entryMax);
  });
  const summary = [`Page ${current + 1}/${pages}`, count(view.results.length, 'passage'), ...view.filters].join(' · ');
  const embed: APIEmbed = {
    color: EMBED_COLOR,
    title: fitSourceText(`Passages for “${view.query}”`, DISCORD_LIMITS.embedTitle, { quoted: false }),
    description: lines.join('\n\n'),
    footer: { text: truncate(summary, ATTRIBUTION_MAX) },
  };
  const components = pages > 1 ? [pagerRow(BUTTON_NAMESPACES.searchPager, view.key, current, pages)] : [];
  return messagePayload({ embeds: [embed], components });
}
