/**
 * Where an imported article really came from, recorded as `origin:` in its front matter: the URL a
 * page was fetched from, or `file:…`, `jsonl:…`, `upload:…` for what was read from disk or attached.
 * A page may claim any URL as its own (canonical link, og:url, JSON-LD); only its origin is known.
 */

/** The site of an http(s) URL: its host (and port) in lower case, "www." left out; null for anything else. */
export function siteOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host.toLowerCase().replace(/^www\./, '') : null;
  } catch {
    return null;
  }
}

/** Whether two origins are the same place: two web addresses on one site, or the same file, export or attachment. */
export function sameOrigin(a: string, b: string): boolean {
  const [siteA, siteB] = [siteOf(a), siteOf(b)];
  return siteA !== null || siteB !== null ? siteA === siteB : a === b;
}
