import { normalizeDate } from '../core/dates.js';
import { plainHttpUrl } from '../core/urls.js';
import { cleanValue } from './article.js';
import { withoutTracking } from './slug.js';

/** What a page says about itself; null where it says nothing usable. */
export interface PageMeta {
  title: string | null;
  publisher: string | null;
  author: string | null;
  date: string | null;
  url: string | null;
}

/** PageMeta, and every URL the page claims as its own, most trusted first (the first is `url`). */
export interface PageMetaWithClaims extends PageMeta {
  claimedUrls: string[];
}

type Source = Partial<PageMeta>;
type JsonObject = Record<string, unknown>;

/** schema.org types of an article: NewsArticle, ReportageNewsArticle, BlogPosting, Article... */
const ARTICLE_TYPE = /(Article|BlogPosting|Report)$/;

/**
 * A page's own metadata, each field from the most trusted place that has it: JSON-LD (a NewsArticle
 * or other Article), then OpenGraph, then other meta tags (author, Dublin Core, citation, the
 * canonical link), then a `<time datetime>` element. Pure DOM queries; the page is not changed.
 */
export function pageMetadata(document: Document, pageUrl?: string): PageMetaWithClaims {
  const sources = [jsonLd(document), openGraph(document), metaTags(document), timeElement(document)];
  const pick = <K extends keyof PageMeta>(field: K, accept: (value: string) => string | null) => {
    for (const source of sources) {
      const value = source[field];
      const accepted = value ? accept(value) : null;
      if (accepted) return accepted;
    }
    return null;
  };
  const claimedUrls = [
    ...new Set(
      sources.map((source) => (source.url ? absoluteHttpUrl(source.url, pageUrl) : null)).filter((url): url is string => url !== null),
    ),
  ];
  return {
    title: pick('title', (v) => cleanValue(v)),
    publisher: pick('publisher', (v) => cleanValue(v)),
    author: pick('author', cleanAuthor),
    date: pick('date', normalizeDate),
    url: claimedUrls[0] ?? null,
    claimedUrls,
  };
}

function jsonLd(document: Document): Source {
  const nodes: JsonObject[] = [];
  for (const script of document.querySelectorAll('script[type="application/ld+json" i]')) {
    try {
      collectNodes(JSON.parse(script.textContent ?? ''), nodes);
    } catch {
      // A broken JSON-LD block tells nothing; the other sources still do.
    }
  }
  const byId = new Map(nodes.filter((node) => typeof node['@id'] === 'string').map((node) => [node['@id'] as string, node]));
  const resolve = (value: unknown): unknown => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const id = (value as JsonObject)['@id'];
      if (typeof id === 'string' && Object.keys(value).length === 1) return byId.get(id) ?? value;
    }
    return value;
  };
  const article = nodes.find((node) => types(node).some((type) => ARTICLE_TYPE.test(type)));
  if (!article) return {};
  const mainEntity = resolve(article.mainEntityOfPage);
  return {
    title: text(article.headline) ?? text(article.name),
    publisher: names(resolve(article.publisher), resolve),
    author: names(article.author, resolve),
    date: text(article.datePublished) ?? text(article.dateCreated),
    url: text(article.url) ?? text(mainEntity) ?? text((mainEntity as JsonObject | undefined)?.['@id']),
  };
}

function collectNodes(value: unknown, into: JsonObject[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collectNodes(item, into);
  } else if (value && typeof value === 'object') {
    const node = value as JsonObject;
    into.push(node);
    if (node['@graph']) collectNodes(node['@graph'], into);
  }
}

function types(node: JsonObject): string[] {
  const type = node['@type'];
  return (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === 'string');
}

/** "Ana Ruiz", {name: "Ana Ruiz"}, or a list of them (references resolved) → "Ana Ruiz, Tom Lee". */
function names(value: unknown, resolve: (value: unknown) => unknown): string | null {
  const list = (Array.isArray(value) ? value : [value]).map(resolve);
  const found = list.map((item) => text(item) ?? text((item as JsonObject | null)?.name)).filter((name): name is string => Boolean(name));
  return found.length > 0 ? [...new Set(found)].join(', ') : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? cleanValue(value) : null;
}

function openGraph(document: Document): Source {
  return {
    title: meta(document, 'property', 'og:title'),
    publisher: meta(document, 'property', 'og:site_name'),
    author: meta(document, 'property', 'article:author'),
    date: meta(document, 'property', 'article:published_time'),
    url: meta(document, 'property', 'og:url'),
  };
}

function metaTags(document: Document): Source {
  const named = (...names: string[]) =>
    names.map((name) => meta(document, 'name', name) ?? meta(document, 'itemprop', name)).find(Boolean) ?? null;
  return {
    title: named('dc.title', 'citation_title', 'headline', 'twitter:title'),
    publisher: named('publisher', 'dc.publisher', 'citation_publisher', 'application-name'),
    author: named('author', 'byl', 'dc.creator', 'citation_author', 'parsely-author', 'sailthru.author'),
    date: named(
      'date',
      'pubdate',
      'publishdate',
      'publish-date',
      'datePublished',
      'dc.date',
      'dc.date.issued',
      'dcterms.created',
      'citation_publication_date',
      'parsely-pub-date',
      'sailthru.date',
    ),
    url: document.querySelector('link[rel~="canonical" i][href]')?.getAttribute('href') ?? null,
  };
}

function timeElement(document: Document): Source {
  const time =
    document.querySelector('article time[datetime]') ??
    document.querySelector('time[pubdate][datetime]') ??
    document.querySelector('time[datetime]');
  return { date: time?.getAttribute('datetime') ?? null };
}

function meta(document: Document, attribute: 'name' | 'property' | 'itemprop', key: string): string | null {
  // Attribute values are matched case-insensitively, as sites write "Author" and "author".
  for (const element of document.querySelectorAll(`meta[${attribute}]`)) {
    if (element.getAttribute(attribute)?.toLowerCase() !== key.toLowerCase()) continue;
    const content = cleanValue(element.getAttribute('content'));
    if (content) return content;
  }
  return null;
}

/** "By Ana Ruiz" → "Ana Ruiz"; a profile URL (as article:author often is) is not a name. */
function cleanAuthor(value: string): string | null {
  const name = cleanValue(value.replace(/^\s*by\s+/i, ''));
  return name && !/^https?:\/\//i.test(name) ? name : null;
}

/** A page's own URL; one with credentials in it is not taken (they would be stored and shown). */
function absoluteHttpUrl(value: string, base?: string): string | null {
  const url = plainHttpUrl(value, base);
  return url ? withoutTracking(url.href) : null;
}
