import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { normalizeDate } from '../core/dates.js';
import { cleanValue } from './article.js';
import { ImportError } from './errors.js';

export interface FeedItem {
  title: string | null;
  /** Absolute http(s) link to the article page; null when the item has none. */
  link: string | null;
  date: string | null;
  author: string | null;
}

export interface Feed {
  /** The feed's (channel's) own title. */
  title: string | null;
  items: FeedItem[];
}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ['item', 'entry', 'link', 'author', 'dc:creator'].includes(name),
});

/**
 * The items of an RSS 2.0 (or RSS 1.0) or Atom feed, with links made absolute against the feed's
 * URL. Anything that is not well-formed XML is a `not-xml` error, XML of another kind `not-a-feed`.
 */
export function parseFeed(xml: string, feedUrl: string): Feed {
  const text = xml.replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new ImportError('not-xml', `${feedUrl} is not XML (line ${valid.err.line}: ${valid.err.msg})`);
  const document = parser.parse(text) as Node;
  const rss = (document.rss as Node | undefined)?.channel as Node | undefined;
  const rdf = document['rdf:RDF'] as Node | undefined;
  const atom = document.feed as Node | undefined;
  if (rss || rdf) {
    const channel = (rss ?? (rdf?.channel as Node | undefined) ?? {}) as Node;
    const items = (rss ? channel.item : rdf?.item) as Node[] | undefined;
    return { title: textOf(channel.title), items: (items ?? []).map((item) => rssItem(item, feedUrl)) };
  }
  if (atom)
    return { title: textOf(atom.title), items: ((atom.entry as Node[] | undefined) ?? []).map((entry) => atomEntry(entry, feedUrl)) };
  const root = Object.keys(document).find((key) => !key.startsWith('?')) ?? 'nothing';
  throw new ImportError('not-a-feed', `${feedUrl} is XML but not an RSS or Atom feed (its root element is <${root}>)`);
}

function rssItem(item: Node, base: string): FeedItem {
  const links = (item.link as unknown[] | undefined) ?? [];
  const guid = item.guid as Node | string | undefined;
  const permalink = typeof guid === 'object' && guid?.['@_isPermaLink'] === 'false' ? null : textOf(guid);
  return {
    title: textOf(item.title),
    link: absolute(links.map(textOf).find(Boolean) ?? permalink, base),
    date: normalizeDate(textOf(item.pubDate) ?? textOf(item['dc:date'])),
    author: names(item['dc:creator']) ?? names(item.author),
  };
}

function atomEntry(entry: Node, base: string): FeedItem {
  const links = ((entry.link as Node[] | undefined) ?? []).filter((link) => (link['@_rel'] ?? 'alternate') === 'alternate');
  const authors = ((entry.author as Node[] | undefined) ?? []).map((author) => author.name);
  return {
    title: textOf(entry.title),
    link: absolute(textOf(links[0]?.['@_href']), base),
    date: normalizeDate(textOf(entry.published) ?? textOf(entry.updated)),
    author: names(authors),
  };
}

/** Text of an element, whether the parser gave a string or an object with attributes. */
function textOf(value: unknown): string | null {
  if (value && typeof value === 'object' && !Array.isArray(value)) return cleanValue((value as Node)['#text']);
  return cleanValue(value);
}

function names(value: unknown): string | null {
  const list = (Array.isArray(value) ? value : [value]).map(textOf).filter((name): name is string => Boolean(name));
  return list.length > 0 ? list.join(', ') : null;
}

function absolute(link: string | null, base: string): string | null {
  if (!link) return null;
  try {
    const url = new URL(link, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
