/**
 * A strict model of the Markdown Discord renders in message content, embed titles, descriptions and
 * field values. Strict means it errs towards finding constructs: every unescaped character that could
 * open or close one counts, whether or not Discord would pair it. What it knows:
 * - a backslash before any character other than a letter, digit or blank is consumed and makes that
 *   character literal (Discord's escape rule); elsewhere a backslash is shown as it is;
 * - at the start of a line (after blanks): `>` quotes, `#…` headings, `-#` subtext, `-` `*` `+` and
 *   `1.` `1)` lists, whatever follows them; several may follow one another (`> # x`);
 * - anywhere: `*` `_` `~` `|` emphasis, strike and spoilers, backtick code (literal inside, across
 *   lines), `[text](url)` masked links, `<…>` tokens (mentions, channels, roles, commands, emoji,
 *   timestamps, `<id:…>`, `<https://…>`), `@` mentions, `scheme://` autolinks.
 * Line breaks are \n, \r\n, \r, U+2028 and U+2029.
 */

export type ConstructKind =
  | 'quote'
  | 'heading'
  | 'subtext'
  | 'list'
  | 'emphasis'
  | 'code'
  | 'bracket'
  | 'link'
  | 'angle'
  | 'mention'
  | 'autolink';

export interface Construct {
  kind: ConstructKind;
  /** Offset in `visible` where the construct's marker stands. */
  at: number;
  /** Index of the line it is on (0-based). */
  line: number;
  /** For links: the target. */
  href?: string;
}

export interface ParsedMarkdown {
  /** The text as shown: escapes consumed, link targets left out, markers kept. */
  visible: string;
  constructs: Construct[];
}

const BLANK = /[^\S\r\n\u2028\u2029]/;
const LINE_BREAK = /[\r\n\u2028\u2029]/;
const ESCAPABLE = /[^0-9A-Za-z\s]/;
const MARKER_KIND: Record<string, ConstructKind> = { '>': 'quote', '#': 'heading' };

export function parseDiscordMarkdown(source: string): ParsedMarkdown {
  let visible = '';
  const constructs: Construct[] = [];
  let line = 0;
  let i = 0;
  let atLineStart = true;
  const add = (kind: ConstructKind, href?: string) =>
    constructs.push({ kind, at: visible.length, line, ...(href === undefined ? {} : { href }) });

  while (i < source.length) {
    if (atLineStart) {
      atLineStart = false;
      i = lineMarkers(source, i, (text, kind) => {
        if (kind) add(kind);
        visible += text;
      });
      continue;
    }
    const c = source[i]!;
    if (LINE_BREAK.test(c)) {
      i += c === '\r' && source[i + 1] === '\n' ? 2 : 1;
      visible += '\n';
      line += 1;
      atLineStart = true;
      continue;
    }
    if (c === '\\') {
      const next = source[i + 1];
      if (next !== undefined && ESCAPABLE.test(next)) {
        visible += next;
        i += 2;
      } else {
        visible += c;
        i += 1;
      }
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(source.slice(i))![0];
      add('code');
      const close = source.indexOf(run, i + run.length);
      if (close === -1) {
        visible += run;
        i += run.length;
      } else {
        // Nothing inside a code span renders; its line breaks still count as lines.
        const content = source.slice(i + run.length, close);
        visible += `${run}${content}${run}`;
        line += content.split(/\r\n|[\r\n\u2028\u2029]/).length - 1;
        i = close + run.length;
      }
      continue;
    }
    if (c === ']' && source[i + 1] === '(') {
      const close = source.indexOf(')', i + 2);
      const href = close === -1 ? null : source.slice(i + 2, close);
      if (href !== null && !/\s/.test(href)) {
        add('link', href);
        i = close + 1;
        continue;
      }
    }
    if (c === '[' || c === ']') add('bracket');
    else if ('*_~|'.includes(c)) add('emphasis');
    else if (c === '<') add('angle');
    else if (c === '@') add('mention');
    else if (c === ':' && source.startsWith('//', i + 1)) add('autolink');
    visible += c;
    i += 1;
  }
  return { visible, constructs };
}

/** Reads the markers at the start of a line; returns where its inline text begins. */
function lineMarkers(source: string, start: number, emit: (text: string, kind?: ConstructKind) => void): number {
  let i = start;
  for (;;) {
    let blanks = '';
    while (i < source.length && BLANK.test(source[i]!)) blanks += source[i++];
    emit(blanks);
    // Strict: a marker counts whatever follows it (Discord wants a blank after most of them).
    const marker = /^(?:>|-#+|#+|[-*+]|\d+[.)])/.exec(source.slice(i))?.[0];
    if (!marker) return i;
    emit(marker, MARKER_KIND[marker[0]!] ?? (marker.startsWith('-#') ? 'subtext' : 'list'));
    i += marker.length;
  }
}

/** A reply's text without the bold that marks the answer inside a quote (escaped asterisks of the text stay). */
export function withoutBold(description: string): string {
  // Left to right, an escape and the character it escapes stay together, so `\\**` keeps its backslash and loses the marker.
  return description.replace(/(\\.)|\*\*/gs, (_, escaped: string | undefined) => escaped ?? '');
}
