/**
 * URLs come from users, pages, feeds and exports; one with a user name or password in it would send
 * them, store them in an article's front matter and show them in replies and logs. These helpers
 * refuse such URLs where one is accepted and hide the credentials where one is only reported.
 */

/** True when the URL carries a user name or a password (`http://user:pass@host/`). */
export function hasCredentials(url: URL): boolean {
  return url.username !== '' || url.password !== '';
}

/** `value` (resolved against `base`) as an http(s) URL without credentials, or null. */
export function plainHttpUrl(value: string, base?: string): URL | null {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && !hasCredentials(url) ? url : null;
}

/** A URL, or text meant as one, fit for a message or a log: any user name and password shown as `***`. */
export function withoutCredentials(text: string): string {
  try {
    const url = new URL(text);
    if (!hasCredentials(url)) return text;
    url.username = '***';
    url.password = '';
    return url.href;
  } catch {
    // Not parseable: cut whatever stands before an "@" in what looks like the authority.
    return text.replace(/^([a-z][a-z0-9+.-]*:\/*)[^/?#\s]*@/i, '$1***@');
  }
}
