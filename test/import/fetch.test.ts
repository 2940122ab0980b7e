import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/errors.js';
import { DEFAULT_USER_AGENT, type FetchPolicy, fetchSafely } from '../../src/import/fetch.js';
import { NewsServer } from '../support/news-server.js';

let site: NewsServer;
beforeAll(async () => {
  site = await NewsServer.start();
});
afterAll(() => site.close());

const local: FetchPolicy = { timeoutMs: 5_000, maxBytes: 1024 * 1024, allowPrivateHosts: true };
const strict: FetchPolicy = { ...local, allowPrivateHosts: false };

/** Whatever host a URL names, the connection goes to the local news site (see NewsServer.routed). */
function routedToSite(): FetchPolicy['transport'] {
  return site.routed().transport;
}

const publicDns: FetchPolicy['resolve'] = async (hostname) => {
  if (hostname === 'intranet.test') return [{ address: '10.1.2.3', family: 4 }];
  if (hostname === 'dual.test')
    return [
      { address: '93.184.216.34', family: 4 },
      { address: 'fd00::5', family: 6 },
    ];
  return [{ address: '93.184.216.34', family: 4 }];
};

async function failure(promise: Promise<unknown>): Promise<ImportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

describe('fetchSafely', () => {
  it('fetches a page with a polite User-Agent and follows a redirect', async () => {
    const page = await fetchSafely(site.url('/moved'), local);
    expect(page.url).toBe(site.url('/news/wind-farm.html'));
    expect(page.contentType).toBe('text/html');
    expect(page.charset).toBe('utf-8');
    expect(page.body.toString('utf8')).toContain('Offshore wind farm approved');
    expect(site.requests.at(-1)?.userAgent).toBe(DEFAULT_USER_AGENT);
  });

  it('decompresses a gzip-encoded page', async () => {
    const page = await fetchSafely(site.url('/news/gzipped.html'), local);
    expect(page.body.toString('utf8')).toContain('<h1>Offshore wind farm approved');
  });

  it('refuses schemes other than http and https', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/a', 'javascript:alert(1)', 'not a url']) {
      expect((await failure(fetchSafely(url, local))).code).toBe('bad-url');
    }
  });

  it('refuses 127.x without the setting, before sending anything', async () => {
    const before = site.requests.length;
    const error = await failure(fetchSafely(site.url('/news/wind-farm.html'), strict));
    expect(error.code).toBe('blocked-address');
    expect(error.message).toBe(
      'blocked-address: 127.0.0.1, a loopback address; only public addresses are fetched (IMPORT_ALLOW_PRIVATE_HOSTS=true allows others)',
    );
    expect(site.requests.length).toBe(before);
  });

  it('refuses a literal 10.x address, and a host name that resolves to one', async () => {
    const policy = { ...strict, resolve: publicDns, transport: routedToSite() };
    expect((await failure(fetchSafely('http://10.0.0.1/admin', policy))).message).toMatch(
      /^blocked-address: 10\.0\.0\.1, a private address/,
    );
    // The cloud metadata address, named in words (not ipaddr.js's "linkLocal").
    expect((await failure(fetchSafely('http://169.254.169.254/latest/meta-data/', policy))).message).toMatch(
      /^blocked-address: 169\.254\.169\.254, a link-local address;/,
    );
    expect((await failure(fetchSafely('http://intranet.test/news.html', policy))).message).toMatch(
      /^blocked-address: intranet\.test resolves to 10\.1\.2\.3, a private address/,
    );
    // One private address among public ones is enough to refuse: the connection could use any of them.
    expect((await failure(fetchSafely('http://dual.test/news.html', policy))).code).toBe('blocked-address');
    // The same page on a host that resolves publicly comes through (the routing works).
    expect((await fetchSafely('http://news.test/news/wind-farm.html', policy)).body.length).toBeGreaterThan(1000);
  });

  it('refuses IPv6 addresses that carry a private IPv4 one (IPv4-compatible, mapped, NAT64, 6to4, Teredo), literal or resolved, without connecting', async () => {
    const opened: string[] = [];
    const noConnection: FetchPolicy['transport'] = (url) => {
      opened.push(url.href);
      throw new Error('no connection may be opened');
    };
    const embedded: FetchPolicy['resolve'] = async () => [{ address: '::a9fe:a9fe', family: 6 }];
    const policy = { ...strict, resolve: embedded, transport: noConnection };
    for (const [url, message] of [
      ['http://[::7f00:1]/', /^blocked-address: ::7f00:1, an IPv4-compatible IPv6 address \(carrying 127\.0\.0\.1\)/],
      ['http://[::a00:1]/', /^blocked-address: ::a00:1, an IPv4-compatible IPv6 address \(carrying 10\.0\.0\.1\)/],
      ['http://[::ffff:169.254.169.254]/', /^blocked-address: ::ffff:a9fe:a9fe, a link-local address \(carrying 169\.254\.169\.254\)/],
      ['http://[64:ff9b::a00:1]/', /^blocked-address: 64:ff9b::a00:1, a private address \(carrying 10\.0\.0\.1\)/],
      ['http://[2002:a00:1::1]/', /^blocked-address: 2002:a00:1::1, a 6to4 address \(carrying 10\.0\.0\.1\)/],
      ['http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/', /^blocked-address: .*a Teredo address \(carrying 10\.0\.0\.1\)/],
      [
        'http://metadata.test/latest',
        /^blocked-address: metadata\.test resolves to ::a9fe:a9fe, an IPv4-compatible IPv6 address \(carrying 169\.254\.169\.254\)/,
      ],
    ] as const) {
      expect((await failure(fetchSafely(url, policy))).message).toMatch(message);
    }
    expect(opened).toEqual([]);
  });

  it('checks every redirect: a public page that redirects to an intranet address is refused', async () => {
    const policy = { ...strict, resolve: publicDns, transport: routedToSite() };
    const error = await failure(fetchSafely('http://news.test/to-intranet', policy));
    expect(error.message).toMatch(/^blocked-address: 10\.20\.30\.40, a private address/);
    expect(site.requests.some((request) => request.path === '/admin')).toBe(false);
  });

  it('checks the address the connection itself resolves, so a changed DNS answer cannot slip through', async () => {
    let calls = 0;
    // First answer public (the pre-check), then loopback (the connection): a DNS rebinding attempt.
    const rebinding: FetchPolicy['resolve'] = async () => [{ address: calls++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
    const error = await failure(
      fetchSafely(`http://rebind.test:${site.portNumber}/news/wind-farm.html`, { ...strict, resolve: rebinding }),
    );
    expect(error.message).toMatch(/^blocked-address: rebind\.test resolves to 127\.0\.0\.1, a loopback address/);
    expect(calls).toBe(2);
  });

  it('refuses a URL with a user name or password, before sending anything, and never shows them', async () => {
    const before = site.requests.length;
    const withCredentials = site.url('/news/wind-farm.html').replace('http://', 'http://user:secret@');
    const error = await failure(fetchSafely(withCredentials, local));
    expect(error.message).toBe(
      `bad-url: ${site.url('/news/wind-farm.html').replace('http://', 'http://***@')} has a user name or password in it; quotebot never sends or stores them: give the URL without them`,
    );
    expect(site.requests.length).toBe(before);
    expect((await failure(fetchSafely('http://user:secret@[bad/x', local))).message).toBe(
      'bad-url: "http://***@[bad/x" is not an absolute URL',
    );
    // A redirect to such a URL is refused the same way.
    const redirected = await failure(fetchSafely(site.url('/to-credentials'), local));
    expect(redirected.code).toBe('bad-url');
    expect(redirected.message).not.toContain('secret');
    expect(site.requests.filter((request) => request.authorization)).toEqual([]);
  });

  it('names a host that does not resolve', async () => {
    const nxdomain: FetchPolicy['resolve'] = async (hostname) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    };
    const error = await failure(fetchSafely('http://no-such-host.invalid/', { ...strict, resolve: nxdomain }));
    expect(error.message).toBe('unresolvable-host: no-such-host.invalid could not be resolved (ENOTFOUND)');
    expect(error.code).toBe('unresolvable-host');
  });

  it('stops a 50 MB page at the size limit, with or without a declared length', async () => {
    for (const page of ['/huge.html', '/huge-declared.html']) {
      const error = await failure(fetchSafely(site.url(page), local));
      expect(error.message).toBe(`too-large: ${site.url(page)} is larger than 1 MB`);
    }
  });

  it('gives up on a page that does not answer in time', async () => {
    const started = Date.now();
    const error = await failure(fetchSafely(site.url('/slow.html'), { ...local, timeoutMs: 300 }));
    expect(error.message).toBe(`timeout: ${site.url('/slow.html')} did not answer within 300 ms`);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('limits redirects and names HTTP errors', async () => {
    expect((await failure(fetchSafely(site.url('/loop'), { ...local, maxRedirects: 3 }))).message).toBe(
      `too-many-redirects: ${site.url('/loop')} redirected more than 3 times`,
    );
    expect((await failure(fetchSafely(site.url('/news/removed.html'), local))).message).toBe(
      `http-status: ${site.url('/news/removed.html')} answered 404 Not Found`,
    );
  });
});
