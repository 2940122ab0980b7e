import type { APIEmbed } from 'discord.js';
import type { CorpusDocument, DocumentMeta } from '../../core/types.js';
import type { CorpusStatus } from '../../local/status.js';
import { quotableSentences } from '../../text/prose.js';
import { type MessagePayload, messagePayload } from '../sending/payload.js';
import { DISCORD_LIMITS } from './limits.js';
import { escapeSourceText, fitSourceText, truncate } from './markdown.js';
import { ATTRIBUTION_MAX, attribution, code, EMBED_COLOR, fieldValue, safeUrl } from './parts.js';

/** What /corpus replies: the article added, the article removed, the state of the corpus. */

const OPENING_MAX = 600;
const LIST_MAX = 900;

/** The new (or updated) article: its first quotable lines with their attribution, as /ask would show them. */
export function renderCorpusAdded(
  document: CorpusDocument,
  status: 'imported' | 'updated' | 'unchanged',
  warning: string | null,
): MessagePayload {
  const opening = quotableSentences(document).slice(0, 3);
  const quote = opening.length > 0 ? document.text.slice(opening[0]!.start, opening.at(-1)!.end) : '';
  const verb = { imported: 'Added', updated: 'Updated', unchanged: 'Already in the corpus, unchanged:' }[status];
  const embed: APIEmbed = {
    color: EMBED_COLOR,
    title: fitSourceText(document.title, DISCORD_LIMITS.embedTitle, { quoted: false }),
    url: safeUrl(document.url),
    description: fitSourceText(quote, OPENING_MAX, { quoted: true }),
    fields: [
      { name: 'Publisher', value: fieldValue(document.publisher), inline: true },
      { name: 'Author', value: fieldValue(document.author), inline: true },
      { name: 'Date', value: fieldValue(document.date), inline: true },
    ],
    footer: { text: truncate(attribution(document.publisher, document.date, document.id), ATTRIBUTION_MAX) },
  };
  const note = warning ? `\n*Note: ${escapeSourceText(truncate(warning, 300))}*` : '';
  return messagePayload({ content: `${verb} — it can be quoted now.${note}`, embeds: [embed] });
}

export function renderCorpusRemoved(document: DocumentMeta, remaining: number): MessagePayload {
  const content = `Removed **${fitSourceText(document.title, 200, { quoted: false })}** (${code(truncate(document.id, 100))}). ${remaining} article${remaining === 1 ? '' : 's'} left; it will not be quoted again.`;
  return messagePayload({ content: truncate(content, DISCORD_LIMITS.content) });
}

/** Why nothing was added: the message names remote status lines, file names and URLs, so it is escaped like a quote. */
export function renderCorpusRefused(reason: string): MessagePayload {
  return messagePayload({ content: truncate(`Nothing was added: ${escapeSourceText(reason)}`, DISCORD_LIMITS.content) });
}

export function renderCorpusStatus(status: CorpusStatus, loaded: number): MessagePayload {
  const folders = Object.entries(status.folders)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([folder, count]) => `${folder ? escapeSourceText(folder) : '*(top level)*'}: ${count}`);
  const problems = [
    ...status.skipped.map(({ file, reason }) => `• ${escapeSourceText(file)} — skipped: ${escapeSourceText(reason)}`),
    ...status.warnings.map(({ file, message }) => `• ${escapeSourceText(file)} — ${escapeSourceText(message)}`),
  ];
  const embed: APIEmbed = {
    color: EMBED_COLOR,
    title: 'Corpus status',
    fields: [
      { name: 'Documents', value: `${status.documents} on disk, ${loaded} answerable`, inline: true },
      { name: 'Chunks', value: status.chunks === null ? 'no index yet' : String(status.chunks), inline: true },
      {
        name: 'Last ingest',
        value: status.lastIngest
          ? `<t:${Math.floor(Date.parse(status.lastIngest) / 1000)}:R> (${status.lastIngest.slice(0, 19).replace('T', ' ')} UTC)`
          : 'never',
        inline: true,
      },
      { name: 'Folders', value: truncate(folders.join('\n') || '—', DISCORD_LIMITS.embedFieldValue), inline: false },
      { name: 'Waiting to be indexed', value: String(status.pending), inline: true },
      {
        name: `Skipped or warned (${problems.length})`,
        value: truncate(problems.join('\n') || 'none', Math.min(LIST_MAX, DISCORD_LIMITS.embedFieldValue)),
        inline: false,
      },
    ],
  };
  return messagePayload({ embeds: [embed] });
}
