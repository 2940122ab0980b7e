import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import type { Answer, AnswerResult, CorpusDocument, DocumentMeta } from '../core/types.js';
import { encodeCustomId, pageButtonId, type PagerRole } from './custom-ids.js';
import { DISCORD_LIMITS } from './limits.js';
import { escapeSourceText, fitSourceText, neutraliseMentions, truncate } from './markdown.js';

/**
 * Pure rendering of everything the bot sends. Every payload carries `allowedMentions: NO_PINGS`,
 * stays within Discord's limits, and passes source or user text only through `escapeSourceText`.
 */

/** Never ping anyone, including the author of a message the bot replies to. */
export const NO_PINGS = { parse: [], repliedUser: false } as const;

export interface MessagePayload {
  content: string;
  embeds: APIEmbed[];
  components: Array<APIActionRowComponent<APIButtonComponent>>;
  allowedMentions: typeof NO_PINGS;
}

type DocumentLookup = (id: string) => DocumentMeta | undefined;

export const FEEDBACK_NAMESPACE = 'feedback';
export const SEARCH_PAGE_SIZE = 10;
const SOURCES_PAGE_SIZE = 10;

const EMBED_COLOR = 0x4f7cac;
const NOT_COVERED_COLOR = 0x9aa0a6;
/** Long enough for a paragraph, short enough that five quotes stay readable. */
const QUOTE_DISPLAY_MAX = 900;
const ATTRIBUTION_MAX = 256;
const SEARCH_QUOTE_MAX = 280;
const OPENING_LINES_MAX = 700;
const TITLE_IN_LIST_MAX = 120;
/** Ten list lines and their numbering fit one embed description. */
const LIST_LINE_MAX = 390;

export function renderNotice(text: string): MessagePayload {
  return payload({ content: truncate(text, DISCORD_LIMITS.content) });
}

export interface AnswerView {
  /** What was asked, shown above the quotes when the reply does not already sit under it. */
  prompt?: { label: 'Question' | 'Claim'; text: string };
  /** The earlier thread question a follow-up was read together with. */
  followUpTo?: string;
  /** A line of the bot's own, e.g. why the answer is not in a thread. */
  note?: string;
  /** Session key behind the Helpful / Not helpful buttons. */
  feedbackKey?: string;
}

/** Quotes with attribution, or a "not covered" reply naming the closest articles. */
export function renderAnswer(answer: Answer, view: AnswerView, lookup: DocumentLookup): MessagePayload {
  const content = answerHeading(view);
  if (!answer.answered || answer.results.length === 0) return renderNotCovered(answer, lookup, content);
  const results = answer.results.slice(0, DISCORD_LIMITS.embedsPerMessage);
  const frames = results.map((result) => ({
    title: `${result.rank}. ${fitSourceText(result.title, DISCORD_LIMITS.embedTitle - 5, { quoted: false })}`,
    footer: truncate(attribution(result.publisher, result.date, result.docId), ATTRIBUTION_MAX),
  }));
  const frameLength = frames.reduce((sum, frame) => sum + frame.title.length + frame.footer.length, 0);
  const quoteBudget = Math.min(QUOTE_DISPLAY_MAX, Math.floor((DISCORD_LIMITS.embedsTotal - frameLength) / results.length));
  const embeds = results.map((result, index): APIEmbed => {
    const frame = frames[index]!;
    return {
      color: EMBED_COLOR,
      title: frame.title,
      url: safeUrl(result.url),
      description: fitSourceText(result.quote, quoteBudget, { quoted: true }),
      footer: { text: frame.footer },
    };
  });
  const components = view.feedbackKey ? [feedbackRow(view.feedbackKey)] : [];
  return payload({ content, embeds, components });
}

function answerHeading(view: AnswerView): string {
  const lines: string[] = [];
  if (view.prompt) lines.push(`**${view.prompt.label}:** ${escapeSourceText(view.prompt.text)}`);
  if (view.followUpTo) lines.push(`*Read as a follow-up to:* ${escapeSourceText(view.followUpTo)}`);
  if (view.note) lines.push(`*${view.note}*`);
  return truncate(lines.join('\n'), DISCORD_LIMITS.content);
}

function renderNotCovered(answer: Answer, lookup: DocumentLookup, content: string): MessagePayload {
  const closest = answer.nearest.slice(0, 5).map((near) => {
    const meta = lookup(near.id);
    return `• ${listLine(meta?.title ?? near.title, meta?.url ?? null, [meta?.publisher ?? null, meta?.date ?? null], near.id, LIST_LINE_MAX)}`;
  });
  const description = [
    "I couldn't find a passage in the articles that answers this, so I won't guess.",
    ...(closest.length > 0 ? ['', 'The closest articles are:', ...closest] : []),
    '',
    'Try rephrasing the question, or browse what is covered with `/sources`.',
  ].join('\n');
  const embed: APIEmbed = {
    color: NOT_COVERED_COLOR,
    title: 'Not covered by the articles',
    description: truncate(description, DISCORD_LIMITS.embedDescription),
  };
  return payload({ content, embeds: [embed] });
}

export interface SearchView {
  key: string;
  query: string;
  /** Human-readable filters, e.g. `publisher "tass"`. */
  filters: string[];
  results: AnswerResult[];
}

/** One page of a compact passage list with Previous/Next buttons. */
export function renderSearchPage(view: SearchView, page: number, namespace: string): MessagePayload {
  const pages = pageCount(view.results.length, SEARCH_PAGE_SIZE);
  const current = clampPage(page, pages);
  const entryMax = Math.floor(DISCORD_LIMITS.embedDescription / SEARCH_PAGE_SIZE) - 2;
  const lines = pageSlice(view.results, current, SEARCH_PAGE_SIZE).map((result, index) => {
    const number = current * SEARCH_PAGE_SIZE + index + 1;
    const source = listLine(result.title, result.url, [result.publisher, result.date], result.docId, entryMax - 60);
    const quoteRoom = Math.max(40, Math.min(SEARCH_QUOTE_MAX, entryMax - source.length - 16));
    return truncate(`**${number}.** “${fitSourceText(result.quote, quoteRoom, { quoted: false })}”\n   — ${source}`, entryMax);
  });
  const summary = [`Page ${current + 1}/${pages}`, `${view.results.length} passages`, ...view.filters].join(' · ');
  const embed: APIEmbed = {
    color: EMBED_COLOR,
    title: fitSourceText(`Passages for “${view.query}”`, DISCORD_LIMITS.embedTitle, { quoted: false }),
    description: lines.join('\n\n'),
    footer: { text: truncate(summary, ATTRIBUTION_MAX) },
  };
  return payload({ embeds: [embed], components: pages > 1 ? [pagerRow(namespace, view.key, current, pages)] : [] });
}

/**
 * The corpus, one line per article, with Previous/Next buttons. `view.key` is what the buttons carry
 * (null: no buttons), `view.filters` what the list was narrowed to.
 */
export function renderSourcesPage(
  documents: readonly DocumentMeta[],
  page: number,
  namespace: string,
  view: { key?: string | null; filters?: string[] } = {},
): MessagePayload {
  const pages = pageCount(documents.length, SOURCES_PAGE_SIZE);
  const current = clampPage(page, pages);
  const lines = pageSlice(documents, current, SOURCES_PAGE_SIZE).map((doc, index) => {
    const number = current * SOURCES_PAGE_SIZE + index + 1;
    return `**${number}.** ${listLine(doc.title, doc.url, [doc.publisher, doc.date], doc.id, LIST_LINE_MAX)}`;
  });
  const embed: APIEmbed = {
    color: EMBED_COLOR,
    title: `Articles I can quote (${documents.length})`,
    description: lines.length > 0 ? lines.join('\n') : view.filters?.length ? 'No article matches.' : 'The corpus is empty.',
    footer: { text: truncate([`Page ${current + 1}/${pages}`, ...(view.filters ?? []), 'use /source to read one'].join(' · '), ATTRIBUTION_MAX) },
  };
  const key = view.key === undefined ? 'all' : view.key;
  return payload({ embeds: [embed], components: pages > 1 && key ? [pagerRow(namespace, key, current, pages)] : [] });
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
    description: fitSourceText(document.text.slice(document.bodyStart ?? 0).trimStart(), OPENING_LINES_MAX, { quoted: true }) || '*(empty)*',
    fields: [
      field('Publisher', document.publisher),
      field('Date', document.date),
      field('Author', document.author),
      { name: 'Document id', value: code(truncate(document.id, 200)), inline: false },
    ],
    footer: { text: 'Ask about it with /ask, or search it with /search' },
  };
  return payload({ embeds: [embed] });
}

export interface HelpEntry {
  usage: string;
  summary: string;
}

export function renderHelp(entries: readonly HelpEntry[], contextMenus: readonly HelpEntry[]): MessagePayload {
  const description = [
    'I answer questions about a fixed set of news articles by **quoting them word for word**, with the title, publisher, date and document id of every quote. I never write answers of my own: if the articles do not cover a question, I say so and name the closest articles.',
    '',
    '**Commands**',
    ...entries.map((entry) => `\`${entry.usage}\` — ${entry.summary}`),
    '',
    '**On a message** (right-click or long-press → Apps)',
    ...contextMenus.map((entry) => `**${entry.usage}** — ${entry.summary}`),
    '',
    '**Mention me**',
    'Write `@bot your question` in a channel or thread and I reply there. In a thread, a short follow-up such as "and what about the wheat?" is read together with the question asked earlier in that thread.',
    '',
    'Under each answer, **Helpful** / **Not helpful** tell the maintainers how the quotes worked out.',
  ].join('\n');
  const embed: APIEmbed = {
    color: EMBED_COLOR,
    title: 'How to use me',
    description: truncate(description, DISCORD_LIMITS.embedDescription),
  };
  return payload({ embeds: [embed] });
}

function feedbackRow(key: string): APIActionRowComponent<APIButtonComponent> {
  const button = (helpful: boolean): APIButtonComponent => ({
    type: ComponentType.Button,
    style: helpful ? ButtonStyle.Success : ButtonStyle.Secondary,
    label: helpful ? 'Helpful' : 'Not helpful',
    emoji: { name: helpful ? '👍' : '👎' },
    custom_id: encodeCustomId(FEEDBACK_NAMESPACE, key, helpful ? 1 : 0),
  });
  return { type: ComponentType.ActionRow, components: [button(true), button(false)] };
}

export function pagerRow(namespace: string, key: string, page: number, pages: number): APIActionRowComponent<APIButtonComponent> {
  const button = (label: string, target: number, role: PagerRole, disabled: boolean): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: pageButtonId(namespace, { key, page: target }, role),
    disabled,
  });
  return {
    type: ComponentType.ActionRow,
    components: [
      button('Previous', Math.max(0, page - 1), 'prev', page === 0),
      button(`${page + 1} / ${pages}`, page, 'at', true),
      button('Next', Math.min(pages - 1, page + 1), 'next', page >= pages - 1),
    ],
  };
}

function pageCount(items: number, pageSize: number): number {
  return Math.max(1, Math.ceil(items / pageSize));
}

function pageSlice<T>(items: readonly T[], page: number, pageSize: number): T[] {
  return items.slice(page * pageSize, (page + 1) * pageSize);
}

function clampPage(page: number, pages: number): number {
  return Math.min(Math.max(0, page), pages - 1);
}

/** `publisher · date · document id`, skipping what is unknown. Footers show plain text, so no escaping. */
export function attribution(publisher: string | null, date: string | null, docId: string): string {
  return [publisher, date, docId].filter((part): part is string => Boolean(part)).join(' · ');
}

/**
 * `[Title](url) · publisher · date · \`id\`` for description lists, escaped, within `max` characters;
 * the link is dropped when the URL is unusable or too long to fit.
 */
function listLine(title: string, url: string | null, details: Array<string | null>, id: string, max: number): string {
  const text = fitSourceText(title, TITLE_IN_LIST_MAX, { quoted: false }).replace(/]/g, '\\]');
  const rest = [
    ...details.filter((part): part is string => Boolean(part)).map((part) => escapeSourceText(truncate(part, 80))),
    code(truncate(id, 80)),
  ];
  const href = safeUrl(url);
  const linked = href ? [`[${text}](${href})`, ...rest].join(' · ') : undefined;
  if (linked && linked.length <= max) return linked;
  return truncate([`**${text}**`, ...rest].join(' · '), max);
}

/** Inline code, so ids read and copy cleanly; escaped text instead if a backtick would break out. */
function code(text: string): string {
  return text.includes('`') ? escapeSourceText(text) : `\`${neutraliseMentions(text)}\``;
}

/** An absolute http(s) URL safe inside `[text](url)` and in `embed.url`, or undefined. */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
  } catch {
    return undefined;
  }
}

function payload(parts: Partial<Omit<MessagePayload, 'allowedMentions'>>): MessagePayload {
  return { content: parts.content ?? '', embeds: parts.embeds ?? [], components: parts.components ?? [], allowedMentions: NO_PINGS };
}
