import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { CorpusDocument, DocumentMeta } from '../../core/types.js';
import { BUTTON_NAMESPACES } from '../custom-ids.js';
import { DISCORD_LIMITS } from '../limits.js';
import { escapeSourceText, fitSourceText, truncate } from '../markdown.js';
import { SOURCES_PAGE_SIZE, pageOf } from '../paging.js';
import { messagePayload, type MessagePayload } from '../payload.js';
import { pagerRow } from './pager-row.js';
import { EMBED_COLOR, LIST_LINE_MAX, code, listLine, safeUrl } from './parts.js';

const OPENING_LINES_MAX = 700;
/** /sources buttons carry only the page: the corpus itself is the session. */
const ALL_SOURCES_KEY = 'all';

/** The corpus, one line per article, with Previous/Next buttons. */
export function renderSourcesPage(documents: readonly DocumentMeta[], page: number): MessagePayload {
  const { items, current, pages, firstNumber } = pageOf(documents, page, SOURCES_PAGE_SIZE);
  const lines = items.map((doc, index) => `**${firstNumber + index}.** ${listLine(doc.title, doc.url, [doc.publisher, doc.date], doc.id, LIST_LINE_MAX)}`);
  const embed: APIEmbed = {
    color: EMBED_COLOR,
    title: `Articles I can quote (${documents.length})`,
    description: lines.length > 0 ? lines.join('\n') : 'The corpus is empty.',
    footer: { text: `Page ${current + 1}/${pages} · use /source to read one` },
  };
  const components = pages > 1 ? [pagerRow(BUTTON_NAMESPACES.sourcesPager, ALL_SOURCES_KEY, current, pages)] : [];
  return messagePayload({ embeds: [embed], components });
}

/** One article: metadata and its opening lines. */
export function renderSource(document: CorpusDocument): MessagePayload {
  const field = (name: string, value: string | null, inline = true): APIEmbedField => ({
    name,
    value: value ? truncate(escapeSourceText(value), DISCORD_LIMITS.embedFieldValue) : '—',
    inline,
  });
  const embed: APIEmbed = {
    color: EMBED_COLOR,
    title: fitSourceText(document.title, DISCORD_LIMITS.embedTitle, { quoted: false }),
    url: safeUrl(document.url),
    description: fitSourceText(document.text, OPENING_LINES_MAX, { quoted: true }) || '*(empty)*',
    fields: [
      field('Publisher', document.publisher),
      field('Date', document.date),
      field('Author', document.author),
      { name: 'Document id', value: code(truncate(document.id, 200)), inline: false },
    ],
    footer: { text: 'Ask about it with /ask, or search it with /search' },
  };
  return messagePayload({ embeds: [embed] });
}
