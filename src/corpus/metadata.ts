import { toIsoDate } from '../core/dates.js';
import type { DocumentMeta } from '../core/types.js';
import { plainHttpUrl } from '../core/urls.js';
import { bylineAuthors } from './byline.js';

/** What the text itself says about a document; fields it does not give are null. */
export type ExtractedMeta = Omit<DocumentMeta, 'id'>;

const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const WEEKDAY = '(?:mon|tues|wednes|thurs|fri|satur|sun)day';

/** Date shapes news text uses, each turned into [year, month, day]. */
const DATE_PATTERNS: Array<{ pattern: RegExp; parts: (m: RegExpMatchArray) => [string, string, string] }> = [
  { pattern: /\b(\d{4})-(\d{2})-(\d{2})\b/, parts: (m) => [m[1]!, m[2]!, m[3]!] },
  // "Monday, September 28, 2020" or "September 28, 2020"
  {
    pattern: new RegExp(`(?:${WEEKDAY},?\\s+)?\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i'),
    parts: (m) => [m[3]!, m[1]!, m[2]!],
  },
  // "18th Feb, 2022" or "28 September 2020"
  { pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH},?\\s+(\\d{4})\\b`, 'i'), parts: (m) => [m[3]!, m[2]!, m[1]!] },
];

const LABELLED = (labels: string) => new RegExp(`^\\s*(?:${labels})\\s*:\\s*(.*)$`, 'i');
const URL_LINE = LABELLED('source url|url|link|canonical(?: url)?|original url');
const PUBLISHER_LINE = LABELLED('source|publisher|published by|via');
const AUTHOR_LINE = /^\s*(?:by|author\s*:|written by)\s+(.+)$/i;
const TITLE_LINE = LABELLED('title|headline');
/** "Havana, (UrduPoint / Pakistan Point News - 18th Feb, 2022 ) :" — an agency-style dateline. */
const DATELINE_PUBLISHER = /^[^\n(]{0,60}\(\s*([^()\n]+?)\s+-\s+[^()\n]*\d{4}\s*\)\s*:/;
const PUBLISHED_ON = /^\s*published (?:on|in|at)\s+(.+?)\s*(?:\(|$)/i;

/** How many lines at each end of a document can carry metadata (headers and footers). */
const EDGE_LINES = 8;
/** Metadata sits on short lines of its own; longer lines are body paragraphs, whatever they mention. */
const SHORT_LINE = 100;

/**
 * Read title, publisher, author, date and URL from wherever a news text puts them:
 * markdown headings and links, "By" bylines, labelled lines ("Source:", "Source URL:"),
 * agency datelines, a bold sign-off line. Only the first and last lines are searched,
 * because the body of an article mentions other dates, sources and people.
 */
export function extractMetadata(text: string): ExtractedMeta {
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const head = lines.slice(0, EDGE_LINES);
  const tail = lines.slice(-EDGE_LINES);
  const edges = [...head, ...tail.filter((line) => !head.includes(line))].filter((line) => line.length <= SHORT_LINE);
  // An agency dateline opens the first paragraph itself: "date 2022-02-18 Havana, (Agency - …) :Text…".
  const opening = (lines[0] ?? '').slice(0, 40);

  return {
    title: findTitle(lines) ?? firstSentenceTitle(lines),
    publisher: findPublisher(head, tail),
    author: findAuthor(head.filter((line) => line.length <= SHORT_LINE)),
    date: findDate([opening, ...edges]),
    // A labelled URL is unambiguous however long its line is.
    url: findUrl([...head, ...tail]),
  };
}

function findTitle(lines: string[]): string | null {
  const labelled = firstMatch(lines.slice(0, EDGE_LINES), TITLE_LINE, cleanInline);
  if (labelled) return labelled;
  for (const line of lines.slice(0, 3)) {
    const heading = /^#{1,3}\s+(.+)$/.exec(line);
    if (heading) return cleanInline(heading[1]!);
    const link = /^\[([^\]]+)\]\([^)]*\)$/.exec(line);
    if (link) return cleanInline(link[1]!);
  }
  // A short first line without closing punctuation reads as a headline.
  const first = lines[0];
  if (first && first.length <= 150 && !/[.!?:;,]$/.test(first) && !/^\W*date\b/i.test(first)) return cleanInline(first);
  return null;
}

/** Without a headline, the opening sentence (clipped at a word) names the article best. */
function firstSentenceTitle(lines: string[]): string {
  const body = (lines[0] ?? '').replace(/^\W*date\s+\S+\s+/i, '').replace(DATELINE_PUBLISHER, '');
  const sentence = cleanInline(body.split(/(?<=[.!?])\s/)[0] ?? body);
  if (sentence.length <= 100) return sentence;
  return `${sentence.slice(0, 100).replace(/\s+\S*$/, '')}…`;
}

/** The people of the first byline ("By …", "Author: …"), without job titles (byline.ts). */
function findAuthor(lines: string[]): string | null {
  const byline = firstMatch(lines, AUTHOR_LINE, cleanInline);
  return byline === null ? null : bylineAuthors(byline);
}

function findPublisher(head: string[], tail: string[]): string | null {
  const dateline = DATELINE_PUBLISHER.exec(head.join('\n').replace(/^\W*date\s+\S+\s+/i, ''));
  if (dateline) return cleanInline(dateline[1]!);
  for (const [i, line] of [...head, ...tail].entries()) {
    if (line.length > SHORT_LINE || URL_LINE.test(line)) continue;
    const labelled = PUBLISHER_LINE.exec(line);
    if (!labelled) continue;
    // "Source:" with the name on the next line.
    const value = labelled[1] || [...head, ...tail][i + 1] || '';
    if (value && !/^https?:|^</.test(value)) return cleanInline(value);
  }
  const publishedOn = firstMatch(tail, PUBLISHED_ON, cleanInline) ?? firstMatch(head, PUBLISHED_ON, cleanInline);
  if (publishedOn) return publishedOn;
  // A bold sign-off on the last line ("**Radio Habana Cuba**") names the outlet.
  const signOff = /^\*\*([^*]{2,60})\*\*$/.exec(tail[tail.length - 1] ?? '');
  return signOff ? cleanInline(signOff[1]!) : null;
}

function findDate(lines: string[]): string | null {
  for (const line of lines) {
    for (const { pattern, parts } of DATE_PATTERNS) {
      const match = pattern.exec(line);
      if (!match) continue;
      const iso = toIsoDate(...parts(match));
      if (iso) return iso;
    }
  }
  return null;
}

/** Whether a line states this ISO date, in any of the shapes news text writes dates in. */
export function statesDate(line: string, iso: string): boolean {
  return DATE_PATTERNS.some(({ pattern, parts }) =>
    [...line.matchAll(new RegExp(pattern.source, `${pattern.flags}g`))].some((match) => toIsoDate(...parts(match)) === iso),
  );
}

function findUrl(lines: string[]): string | null {
  for (const line of lines) {
    const labelled = URL_LINE.exec(line);
    const url = labelled && /<?(https?:\/\/[^\s<>]+)>?/.exec(labelled[1]!);
    // A URL with credentials would show them as the reply's title link.
    if (url && plainHttpUrl(url[1]!)) return url[1]!;
  }
  return null;
}

function firstMatch(lines: string[], pattern: RegExp, clean: (value: string) => string): string | null {
  for (const line of lines) {
    const match = pattern.exec(line);
    if (match?.[1]) return clean(match[1]);
  }
  return null;
}

/** Strip markdown emphasis, angle-bracket links and stray punctuation from a metadata value. */
function cleanInline(value: string): string {
  return value
    .replace(/[*_`]+/g, '')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/\s+/g, ' ')
    .replace(/^[\s\-–—:|]+|[\s\-–—:|]+$/g, '')
    .trim();
}
