import { createHash } from 'node:crypto';

/** Longest slug a title gives; with a folder and a hash suffix the id stays well inside Discord's 100 characters. */
export const MAX_SLUG = 60;

/** "Côte d’Ivoire: 5 things to know!" → "cote-d-ivoire-5-things-to-know": ASCII, lower case, cut at a word. */
export function slugify(text: string, max = MAX_SLUG): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= max) return slug || 'article';
  const cut = slug.slice(0, max + 1);
  const atWord = cut.lastIndexOf('-');
  return (atWord > max / 2 ? cut.slice(0, atWord) : slug.slice(0, max)).replace(/-+$/, '');
}

/** A short, stable hash of a string, for file names that must not clash. */
export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

const TRACKING = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid)$/i;

/** The URL without campaign-tracking parameters (utm_source...), which say nothing about the article. */
export function withoutTracking(url: string): string {
  const parsed = new URL(url);
  for (const name of [...parsed.searchParams.keys()]) if (TRACKING.test(name)) parsed.searchParams.delete(name);
  return parsed.href;
}

/**
 * The form of a URL that identifies an article: no fragment, no tracking parameters, host in lower
 * case (the URL parser does that and drops default ports), no trailing slash. Two links to the same
 * article give the same key; null for anything that is not an http(s) URL.
 */
export function canonicalUrlKey(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  parsed.hash = '';
  for (const name of [...parsed.searchParams.keys()]) if (TRACKING.test(name)) parsed.searchParams.delete(name);
  parsed.searchParams.sort();
  const href = parsed.href.replace(/^https:/, 'http:');
  return href.endsWith('/') && parsed.search === '' ? href.slice(0, -1) : href;
}
