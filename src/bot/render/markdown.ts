/**
 * Text helpers for putting untrusted source text into Discord messages. Quotes come from arbitrary
 * articles, so they must not be able to format the message, mask links, or mention anyone.
 */

const ELLIPSIS = '…';

const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Characters that open or close a construct wherever they stand: emphasis, spoilers, code, links, `<…>` tokens, mentions, quotes. */
const ANYWHERE = /[\\*_~|`[\]<>@]/g;
/** At the start of a line (after blanks): headings `#`, subtext `-#`, lists `-` `+`. */
const LINE_MARKER = /^([^\S\r\n\u2028\u2029]*)([#+-])/gm;
/** At the start of a line: ordered lists `1.` / `1)`. */
const LINE_NUMBER = /^([^\S\r\n\u2028\u2029]*\d+)([.)])/gm;
/** `scheme://` would be linked as it stands; an escaped colon is shown but never linked. */
const SCHEME = /:(?=\/\/)/g;

/**
 * The one escape for third-party text (quotes, titles, publishers, authors, file names, remote
 * messages) in a Discord message: every character that could start a construct Discord renders gets a
 * backslash, which Discord consumes, so the text reads exactly as written and nothing in it formats,
 * links or mentions (see test/support/discord-markdown.ts for the model it is checked against).
 */
export function escapeSourceText(text: string): string {
  return escapeWithInserts(text, []);
}

/** The indices of `text` whose character gets a backslash (the four patterns above never pick the same character). */
function escapedIndices(text: string): number[] {
  const indices = [...text.matchAll(ANYWHERE), ...text.matchAll(SCHEME)].map((match) => match.index);
  for (const pattern of [LINE_MARKER, LINE_NUMBER]) {
    for (const match of text.matchAll(pattern)) indices.push(match.index + match[1]!.length);
  }
  return indices;
}

/**
 * `text` escaped as a whole, with `inserts` (markup of the bot's own) placed at raw indices. Escaping
 * the whole text keeps "start of a line" meaning the text's own lines: an answer in bold that starts
 * with "14.2" mid-sentence is not a list number. An insert goes before a backslash at the same index.
 */
function escapeWithInserts(text: string, inserts: Array<{ at: number; markup: string }>): string {
  const edits = [...inserts, ...escapedIndices(text).map((at) => ({ at, markup: '\\' }))].sort((a, b) => a.at - b.at);
  let out = '';
  let from = 0;
  for (const { at, markup } of edits) {
    out += text.slice(from, at) + markup;
    from = at;
  }
  return out + text.slice(from);
}

/** Cuts to at most `max` characters, ending with an ellipsis when anything was dropped. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${withoutDanglingSurrogate(text.slice(0, max - ELLIPSIS.length)).trimEnd()}${ELLIPSIS}`;
}

/**
 * Shortens to at most `max` characters at a sentence boundary, marking the cut with an ellipsis.
 * When even the first sentence is too long it is cut at a word boundary instead.
 */
export function shortenAtSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length - 1;
  let kept = '';
  for (const { segment } of sentences.segment(text)) {
    if ((kept + segment).trimEnd().length > room) break;
    kept += segment;
  }
  kept = kept.trimEnd() || cutAtWord(text, room);
  return `${kept} ${ELLIPSIS}`;
}

function cutAtWord(text: string, room: number): string {
  const slice = text.slice(0, room + 1);
  const lastSpace = slice.search(/\s\S*$/);
  const cut = lastSpace > room / 2 ? slice.slice(0, lastSpace) : text.slice(0, room);
  return withoutDanglingSurrogate(cut).trimEnd();
}

function withoutDanglingSurrogate(text: string): string {
  return /[\uD800-\uDBFF]$/.test(text) ? text.slice(0, -1) : text;
}

/** Prefixes every line with `> `; runs of blank lines collapse to one so a quote stays compact. */
export function blockquote(text: string): string {
  return text
    .trim()
    .replace(/\n\s*\n+/g, '\n\n')
    .split('\n')
    .map((line) => `> ${line.trimEnd()}`)
    .join('\n');
}

/**
 * The longest sentence-bounded prefix of `raw` that, escaped and (optionally) blockquoted, fits in
 * `max` characters. Escaping lengthens text, so the raw budget shrinks until the result fits.
 */
export function fitSourceText(raw: string, max: number, options: { quoted: boolean; bold?: { start: number; end: number } }): string {
  const lead = raw.length - raw.trimStart().length;
  const bold = options.bold && { start: options.bold.start - lead, end: options.bold.end - lead };
  const trimmed = raw.trim();
  const escape = (text: string) => (bold && holds(text, trimmed, bold) ? withBold(text, bold) : escapeSourceText(text));
  const format = (text: string) => (options.quoted ? blockquote(escape(text)) : escape(text));
  let budget = max;
  for (;;) {
    const formatted = format(shortenAtSentence(trimmed, budget));
    if (formatted.length <= max || budget <= 1) return truncate(formatted, max);
    budget -= Math.max(1, formatted.length - max);
  }
}

/** True when the shortened `text` still holds the whole span of `full` (a cut never bolds half an answer). */
function holds(text: string, full: string, span: { start: number; end: number }): boolean {
  return (
    span.start >= 0 &&
    span.start < span.end &&
    span.end <= full.length &&
    text.slice(span.start, span.end) === full.slice(span.start, span.end) &&
    !/\n/.test(full.slice(span.start, span.end))
  );
}

/** The escaped text with `span` in bold (the answer inside a quote); the span's outer blanks stay outside the markers, which Discord needs to render them. */
function withBold(text: string, span: { start: number; end: number }): string {
  const inner = text.slice(span.start, span.end);
  const start = span.start + (inner.length - inner.trimStart().length);
  const end = span.end - (inner.length - inner.trimEnd().length);
  if (start >= end) return escapeSourceText(text);
  return escapeWithInserts(text, [
    { at: start, markup: '**' },
    { at: end, markup: '**' },
  ]);
}
