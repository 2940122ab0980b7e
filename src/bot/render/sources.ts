import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { CorpusDocument, DocumentMeta } from '../../core/types.js';
import { BUTTON_NAMESPACES } from '../buttons/custom-ids.js';
import { describeFilter, encodeFilterKey, filterDocuments, type SourceFilter } from '../input/source-filter.js';
import { type MessagePayload, messagePayload } from '../sending/payload.js';
import { DISCORD_LIMITS } from './limits.js';
import { escapeSourceText, fitSourceText, truncate } from './markdown.js';
import { pagerRow } from './pager-row.js';
import { pageOf, SOURCES_PAGE_SIZE } from './paging.js';
import { ATTRIBUTION_MAX, code, EMBED_COLOR, fieldValue, LIST_LINE_MAX, listLine, safeUrl } from './parts.js';

const OPENING_LINES_MAX = 700;

/**
 * The corpus (or the part `filter` narrows it to), one line per article, with Previous/Next buttons.
 * The buttons carry the page and the filter, so the corpus itself is the session; a filter too long
 * for a custom id gets no buttons.
 */
export function renderSourcesPage(corpus: readonly DocumentMeta[], page: number, filter: SourceFilter = {}): MessagePayload {
  const documents = filterDocuments(corpus, filter);
  const filters = describeFilter(filter);
  const { items, current, pages, firstNumber } = pageOf(documents, page, SOURCES_PAGE_SIZE);
  const lines = items.map(
    (doc, index) => `**${firstNumber + index}.** ${listLine(doc.title, doc.url, [doc.publisher, doc.date], doc.id, LIST_LINE_MAX)}`,
  );
  const embed: APIEmbed = {
    color: EMBED_COLOR,
    title: `Articles I can quote (${documents.length})`,
    description: lines.length > 0 ? lines.join('\n') : filters.length > 0 ? 'No article matches.' : 'The corpus is empty.',
    footer: { text: truncate([`Page ${current + 1}/${pages}`, ...filters, 'use /source to read one'].join(' · '), ATTRIBUTION_MAX) },
  };
  const key = encodeFilterKey(filter);
  const components = pages > 1 && key ? [pagerRow(BUTTON_NAMESPACES.sourcesPager, key, current, pages)] : [];
  return messagePayload({ embeds: [embed], components });
}

/**
 * A story's copies (`timeline`: the article and its other copies, earliest report first), one line
 * each: date, outlet (or title) and id, the shown article marked. Within one field's limit.
 */
function timelineField(document: CorpusDocument, timeline: readonly DocumentMeta[]): APIEmbedField {
  const lines = timeline.map((copy) => {
    const line = [copy.date ?? 'undated', escapeSourceText(truncate(copy.publisher ?? copy.title, 80)), code(truncate(copy.id, 80))].join(
      ' · ',
    );
    return copy.id === document.id ? `**${line}** (this article)` : line;
  });
  const shown: string[] = [];
  for (const line of lines) {
    if ([...shown, line].join('\n').length > DISCORD_LIMITS.embedFieldValue - 20) {
      shown.push(`… ${lines.length - shown.length} more`);
      break;
    }
    shown.push(line);
  }
  return { name: `Published ${timeline.length} times (first report first)`, value: shown.join('\n'), inline: false };
}

/** One article: metadata and its opening lines; with `timeline` (its story's copies, earliest first), who published it when. */
export function renderSource(document: CorpusDocument, timeline: readonly DocumentMeta[] = []): MessagePayload {
  const field = (name: string, value: string | null): APIEmbedField => ({ name, value: fieldValue(value), inline: true });
  const embed: APIEmbed = {
    color: EMBED_COLOR,
    title: fitSourceText(document.title, DISCORD_LIMITS.embedTitle, { quoted: false }),
    url: safeUrl(document.url),
    description:
      fitSourceText(document.text.slice(document.bodyStart ?? 0).trimStart(), OPENING_LINES_MAX, { quoted: true }) || '*(empty)*',
    fields: [
      field('Publisher', document.publisher),
      field('Date', document.date),
      field('Author', document.author),
      { name: 'Document id', value: code(truncate(document.id, 200)), inline: false },
      ...(timeline.length > 1 ? [timelineField(document, timeline)] : []),
    ],
    footer: { text: 'Ask about it with /ask, or search it with /search' },
  };
  return messagePayload({ embeds: [embed] });
}
