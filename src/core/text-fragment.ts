/**
 * Links to the quoted words: a URL text fragment (`#:~:text=[prefix-,]textStart[,textEnd][,-suffix]`,
 * WICG "URL Fragment Text Directives", https://wicg.github.io/scroll-to-text-fragment/) that a
 * Chromium-based browser or Safari scrolls to and highlights.
 *
 * The page itself is not at hand, only the article's text, so the text is read as a browser would
 * show it: each line a block (a match never crosses blocks), whitespace collapsed, matched without
 * regard to case and only at word boundaries. A directive is kept only when, read that way, it selects
 * exactly the quote; every term stays inside one line and avoids characters a page may render
 * differently (Markdown marks), and when no short directive does, the plain URL is the link.
 */

/** The four parts of a text directive, percent-decoded; `textStart` is required. */
export interface TextDirective {
  prefix: string | null;
  textStart: string;
  textEnd: string | null;
  suffix: string | null;
}

/** What the link is made from: the file's text, where its body starts (front matter is not on the page) and the title shown above it. */
export interface FragmentSource {
  text: string;
  bodyStart?: number;
  title?: string;
}

/**
 * Words at each end of a long quote: at least 3, since the page holds more than the article (menus,
 * other headlines) where one common word would match first; at most 8.
 */
const MIN_TERM_WORDS = 3;
const MAX_TERM_WORDS = 8;
const MAX_CONTEXT_WORDS = 3;
/** A quote up to this long (on one line) may be its own textStart. */
const MAX_EXACT_CHARS = 80;
/** Characters that Markdown or a page may render as something else: a term holding one is not used. */
const UNSAFE_TERM = /[*_`#[\]<>|\\{}\u0000-\u001f\u007f-\u009f]/;

/** `url` with a text directive selecting `text.slice(start, end)`, or `url` itself when none selects exactly that; null without a URL. */
export function quoteLink(url: string | null, source: FragmentSource, start: number, end: number): string | null {
  if (!url) return null;
  const directive = textDirectiveFor(source, start, end);
  return directive ? withTextDirective(url, directive) : url;
}

/** `url` with its fragment directive replaced by this one (an element fragment such as `#section` is kept). */
export function withTextDirective(url: string, directive: TextDirective): string {
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? '' : url.slice(hash + 1).split(':~:')[0]!;
  return `${base}#${fragment}:~:${serializeTextDirective(directive)}`;
}

/** `text=…` with each term percent-encoded: everything but the spec's TextDirectiveExplicitChar, so `-`, `,` and `&` too. */
export function serializeTextDirective({ prefix, textStart, textEnd, suffix }: TextDirective): string {
  const parts = [
    prefix !== null ? `${encodeTerm(prefix)}-` : null,
    encodeTerm(textStart),
    textEnd !== null ? encodeTerm(textEnd) : null,
    suffix !== null ? `-${encodeTerm(suffix)}` : null,
  ];
  return `text=${parts.filter((part) => part !== null).join(',')}`;
}

function encodeTerm(term: string): string {
  return encodeURIComponent(term).replace(/-/g, '%2D');
}

/** The spec's "parse a text directive" on `text=…`: null when it does not parse. */
export function parseTextDirective(input: string): TextDirective | null {
  if (!input.startsWith('text=')) return null;
  const tokens = input.slice(5).split(',');
  if (tokens.length < 1 || tokens.length > 4 || tokens.some((token) => token === '')) return null;
  const decode = (token: string) => {
    try {
      return decodeURIComponent(token);
    } catch {
      return null;
    }
  };
  let prefix: string | null = null;
  let suffix: string | null = null;
  if (tokens[0]!.endsWith('-')) prefix = decode(tokens.shift()!.slice(0, -1));
  if (tokens.length > 0 && tokens[tokens.length - 1]!.startsWith('-')) suffix = decode(tokens.pop()!.slice(1));
  if (tokens.length !== 1 && tokens.length !== 2) return null;
  const textStart = decode(tokens[0]!);
  const textEnd = tokens.length === 2 ? decode(tokens[1]!) : null;
  if (textStart === null || textStart === '' || (tokens.length === 2 && !textEnd)) return null;
  return { prefix, textStart, textEnd, suffix };
}

/**
 * The page as a browser shows it: blocks (lines) joined by "\n", whitespace inside a block collapsed
 * to one space, with the file offset of every character. The title is the first block.
 */
class RenderedText {
  readonly shown: string;
  readonly folded: string;
  /** File offset of each character of `shown` (-1 for the title, collapsed spaces and block breaks). */
  readonly offsets: number[];
  /** Where the body starts in `shown`: context is taken from the body only. */
  readonly bodyFrom: number;

  constructor({ text, bodyStart = 0, title }: FragmentSource) {
    let shown = '';
    const offsets: number[] = [];
    const push = (char: string, offset: number) => {
      shown += char;
      offsets.push(offset);
    };
    const cleanTitle = (title ?? '').replace(/\s+/g, ' ').trim();
    for (let i = 0; i < cleanTitle.length; i++) push(cleanTitle[i]!, -1);
    for (const line of text.slice(bodyStart).matchAll(/[^\n]*\S[^\n]*/g)) {
      if (shown.length > 0) push('\n', -1); // a block break
      const from = bodyStart + line.index!;
      let space = false;
      for (let i = line[0].search(/\S/); i < line[0].length; i++) {
        const char = line[0][i]!;
        if (/\s/.test(char)) {
          space = true;
          continue;
        }
        if (space) push(' ', -1);
        space = false;
        push(char, from + i);
      }
    }
    this.shown = shown;
    this.offsets = offsets;
    this.bodyFrom = cleanTitle.length;
    // Case folding that keeps every character in place (a few characters lower-case to two).
    this.folded = [...shown].map((char) => (char.toLowerCase().length === char.length ? char.toLowerCase() : char)).join('');
  }

  /** Position in `shown` of a file offset (the first shown character at or after it). */
  at(offset: number): number {
    return this.offsets.findIndex((o) => o >= offset);
  }
}

const WORD = /[\p{L}\p{N}]/u;
const isWordChar = (char: string | undefined) => char !== undefined && WORD.test(char);

/** The next word-bounded match of `term` in the page at or after `from` (an index into `shown`), or -1. */
function findTerm(page: RenderedText, term: string, from: number): number {
  const wanted = term.replace(/\s+/g, ' ').toLowerCase();
  for (let at = page.folded.indexOf(wanted, from); at !== -1; at = page.folded.indexOf(wanted, at + 1)) {
    const bounded =
      !(isWordChar(page.folded[at - 1]) && isWordChar(wanted[0])) &&
      !(isWordChar(page.folded[at + wanted.length]) && isWordChar(wanted[wanted.length - 1]));
    if (bounded) return at;
  }
  return -1;
}

/** Whether `term` starts exactly at `at`, past any whitespace (block breaks included): how context must touch the match. */
function termAfterSpace(page: RenderedText, term: string, at: number): number {
  let from = at;
  while (from < page.folded.length && /\s/.test(page.folded[from]!)) from++;
  return findTerm(page, term, from) === from ? from : -1;
}

/** The range of `shown` a directive selects, following the spec's "find a range from a text directive". */
function locate(page: RenderedText, directive: TextDirective): { start: number; end: number } | null {
  const length = (term: string) => term.replace(/\s+/g, ' ').length;
  let searchFrom = 0;
  while (searchFrom <= page.folded.length) {
    let start: number;
    if (directive.prefix !== null) {
      const prefixAt = findTerm(page, directive.prefix, searchFrom);
      if (prefixAt === -1) return null;
      searchFrom = prefixAt + 1;
      start = termAfterSpace(page, directive.textStart, prefixAt + length(directive.prefix));
      if (start === -1) continue;
    } else {
      start = findTerm(page, directive.textStart, searchFrom);
      if (start === -1) return null;
      searchFrom = start + 1;
    }
    let end = start + length(directive.textStart);
    for (;;) {
      if (directive.textEnd !== null) {
        const endAt = findTerm(page, directive.textEnd, end);
        if (endAt === -1) return null;
        end = endAt + length(directive.textEnd);
      }
      if (directive.suffix === null || termAfterSpace(page, directive.suffix, end) !== -1) return { start, end };
      if (directive.textEnd === null) break;
    }
  }
  return null;
}

/** The file offsets a directive selects in this text (as a browser would find them on the page), or null. */
export function findTextDirective(source: FragmentSource, directive: TextDirective): { start: number; end: number } | null {
  const page = new RenderedText(source);
  const range = locate(page, directive);
  if (!range) return null;
  const start = page.offsets[range.start]!;
  const end = page.offsets[range.end - 1]! + 1;
  return start < 0 || end <= 0 ? null : { start, end };
}

/** Word spans of `shown` in [from, to). */
function wordsIn(page: RenderedText, from: number, to: number): Array<{ start: number; end: number }> {
  return [...page.shown.slice(from, to).matchAll(/\S+/g)].map((m) => ({ start: from + m.index!, end: from + m.index! + m[0].length }));
}

/** A term from shown[start, end): null when it crosses a block or holds a character a page may render otherwise. */
function term(page: RenderedText, start: number, end: number): string | null {
  const text = page.shown.slice(start, end);
  return text.includes('\n') || UNSAFE_TERM.test(text) ? null : text;
}

/**
 * The shortest directive (by its encoded length) that selects exactly `text.slice(start, end)`:
 * textStart alone for a short quote, else the first and last 3–8 words, with up to 3 words of
 * context before and after. Null when none does (or the quote is not in the body).
 */
export function textDirectiveFor(source: FragmentSource, start: number, end: number): TextDirective | null {
  if (start < (source.bodyStart ?? 0) || end <= start || end > source.text.length) return null;
  const page = new RenderedText(source);
  const from = page.at(start);
  const to = page.at(end - 1) + 1;
  if (from === -1 || to === 0 || page.offsets[from]! >= end) return null;
  const quote = wordsIn(page, from, to);
  const before = wordsIn(page, page.bodyFrom, from).slice(-MAX_CONTEXT_WORDS);
  const after = wordsIn(page, to, page.shown.length).slice(0, MAX_CONTEXT_WORDS);
  const prefixes = [
    null,
    ...before.map((_, i) => term(page, before[before.length - 1 - i]!.start, before[before.length - 1]!.end)).filter((t) => t !== null),
  ];
  const suffixes = [null, ...after.map((_, i) => term(page, after[0]!.start, after[i]!.end)).filter((t) => t !== null)];

  const ends: Array<{ textStart: string; textEnd: string | null }> = [];
  const whole = term(page, from, to);
  if (whole && whole.length <= MAX_EXACT_CHARS) ends.push({ textStart: whole, textEnd: null });
  for (let n = MIN_TERM_WORDS; n <= MAX_TERM_WORDS && 2 * n <= quote.length; n++) {
    const textStart = term(page, quote[0]!.start, quote[n - 1]!.end);
    const textEnd = term(page, quote[quote.length - n]!.start, quote[quote.length - 1]!.end);
    if (textStart && textEnd) ends.push({ textStart, textEnd });
  }
  let best: { directive: TextDirective; length: number } | null = null;
  for (const pair of ends) {
    for (const prefix of prefixes) {
      for (const suffix of suffixes) {
        const directive: TextDirective = { prefix, suffix, ...pair };
        const length = serializeTextDirective(directive).length;
        if (best && length >= best.length) continue;
        const found = locate(page, directive);
        if (found && found.start === from && found.end === to) best = { directive, length };
      }
    }
  }
  return best?.directive ?? null;
}
