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
 * links or mentions (see test/bot/discord-markdown.ts for the model it is checked against).
 */
export function escapeSourceText(text: string): string {
  return text.replace(ANYWHERE, '\\$&').replace(LINE_MARKER, '$1\\$2').replace(LINE_NUMBER, '$1\\$2').replace(SCHEME, '\\:');
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
export function fitSourceText(raw: string, max: number, options: { quoted: boolean }): string {
  const format = (text: string) => (options.quoted ? blockquote(escapeSourceText(text)) : escapeSourceText(text));
  let budget = max;
  for (;;) {
    const formatted = format(shortenAtSentence(raw.trim(), budget));
    if (formatted.length <= max || budget <= 1) return truncate(formatted, max);
    budget -= Math.max(1, formatted.length - max);
  }
}
