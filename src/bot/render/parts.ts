import { byline } from '../../core/metadata-statement.js';
import { plainHttpUrl } from '../../core/urls.js';
import { DISCORD_LIMITS } from './limits.js';
import { escapeSourceText, fitSourceText, truncate } from './markdown.js';

/**
 * Pieces every renderer shares. Every payload stays within Discord's limits and passes source or
 * user text only through `escapeSourceText`.
 */

export const EMBED_COLOR = 0x4f7cac;
export const ATTRIBUTION_MAX = 256;
/** Ten list lines and their numbering fit one embed description. */
export const LIST_LINE_MAX = 390;
const TITLE_IN_LIST_MAX = 120;

/** `by author · publisher · date · document id`, skipping what is unknown. Footers show plain text, so no escaping. */
export function attribution(publisher: string | null, date: string | null, docId: string, author: string | null = null): string {
  return [byline(author), publisher, date, docId].filter((part): part is string => Boolean(part)).join(' · ');
}

/**
 * `[Title](url) · publisher · date · \`id\`` for description lists, escaped, within `max` characters;
 * the link is dropped when the URL is unusable or too long to fit.
 */
export function listLine(title: string, url: string | null, details: Array<string | null>, id: string, max: number): string {
  // Escaped `]` and `[`, so a title cannot close this link early and open one of its own.
  const text = fitSourceText(title, TITLE_IN_LIST_MAX, { quoted: false });
  const rest = [
    ...details.filter((part): part is string => Boolean(part)).map((part) => escapeSourceText(truncate(part, 80))),
    code(truncate(id, 80)),
  ];
  const href = safeUrl(url);
  const linked = href ? [`[${text}](${href})`, ...rest].join(' · ') : undefined;
  if (linked && linked.length <= max) return linked;
  return truncate([`**${text}**`, ...rest].join(' · '), max);
}

/** An embed field's value: the text escaped and within the limit, or a dash when it is unknown. */
export function fieldValue(value: string | null): string {
  return value ? truncate(escapeSourceText(value), DISCORD_LIMITS.embedFieldValue) : '—';
}

/** Inline code (nothing renders inside it), so ids read and copy cleanly; escaped text if a backtick or line break would break out. */
export function code(text: string): string {
  return /[`\r\n\u2028\u2029]/.test(text) ? escapeSourceText(text) : `\`${text}\``;
}

/** An absolute http(s) URL without credentials, safe inside `[text](url)` and in `embed.url`, or undefined. */
export function safeUrl(url: string | null | undefined): string | undefined {
  const parsed = url ? plainHttpUrl(url) : null;
  return parsed ? parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29') : undefined;
}
