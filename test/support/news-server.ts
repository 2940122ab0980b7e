/**
 * A small news site on 127.0.0.1 for import tests: article pages (the HTML fixtures), an RSS and an
 * Atom feed linking to them, and the bad cases (a 50 MB page, a page that never answers, redirect
 * loops, a feed that is not XML, a picture). It records every request it gets.
 */
import { readFileSync } from 'node:fs';
import http, { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FetchPolicy } from '../../src/import/fetch.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/import');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

export interface SeenRequest {
  path: string;
  userAgent: string | undefined;
  /** Credentials sent (basic auth from a URL's user name and password): never, by the importer. */
  authorization: string | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse, base: string) => void;

const html =
  (body: string): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  };

function rss(base: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Coast &amp; Harbour News</title>
    <link>${base}/</link>
    <description>Local news from the coast</description>
    <item>
      <title>Wind farm approved</title>
      <link>${base}/news/wind-farm.html</link>
      <pubDate>Tue, 21 Nov 2023 18:00:00 GMT</pubDate>
      <guid isPermaLink="false">wind-1</guid>
    </item>
    <item>
      <title><![CDATA[Sunday opening for the town library]]></title>
      <link>/news/library.html</link>
      <pubDate>Wed, 10 Jan 2024 07:15:00 +0100</pubDate>
      <dc:creator>Priya Natarajan</dc:creator>
    </item>
    <item>
      <title>A story that was taken down</title>
      <link>${base}/news/removed.html</link>
      <pubDate>Thu, 11 Jan 2024 09:00:00 GMT</pubDate>
    </item>
  </channel>
</rss>`;
}

function atom(base: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Harbour Gazette</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2024-03-05T12:00:00Z</updated>
  <link rel="self" href="${base}/feed.atom"/>
  <entry>
    <title>Bridge reopens</title>
    <link rel="alternate" type="text/html" href="${base}/news/harbour-bridge.html"/>
    <link rel="enclosure" href="${base}/img/bridge.jpg"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <published>2024-03-04T09:30:00+01:00</published>
    <updated>2024-03-05T11:00:00+01:00</updated>
    <author><name>Ana Ruiz</name></author>
  </entry>
  <entry>
    <title>A page that is a picture</title>
    <link href="${base}/img/bridge.png"/>
    <id>urn:uuid:2</id>
    <updated>2024-03-06T10:00:00Z</updated>
  </entry>
</feed>`;
}

/** 50 MB in 64 KB pieces, respecting back-pressure; stops when the client hangs up. */
function huge(declareLength: boolean): Handler {
  return (_req, res) => {
    const total = 50 * 1024 * 1024;
    const piece = Buffer.alloc(64 * 1024, '<p>filler text of a page that is far too big</p>\n');
    res.writeHead(200, { 'content-type': 'text/html', ...(declareLength && { 'content-length': String(total) }) });
    let sent = 0;
    const pump = () => {
      while (sent < total && !res.destroyed) {
        sent += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  };
}

const ROUTES: Record<string, Handler> = {
  '/news/harbour-bridge.html': html(fixture('harbour-bridge.html')),
  '/news/wind-farm.html': html(fixture('wind-farm.html')),
  '/news/library.html': html(fixture('library-broken.html')),
  '/news/gzipped.html': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
    res.end(gzipSync(fixture('wind-farm.html')));
  },
  '/feed.rss': (_req, res, base) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(rss(base));
  },
  '/feed.atom': (_req, res, base) => {
    res.writeHead(200, { 'content-type': 'application/atom+xml' });
    res.end(atom(base));
  },
  '/not-a-feed.xml': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(fixture('harbour-bridge.html'));
  },
  '/img/bridge.png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  },
  '/huge.html': huge(false),
  '/huge-declared.html': huge(true),
  '/slow.html': () => {
    // Never answers; the client's timeout must end it (close() cuts the socket).
  },
  '/loop': (_req, res) => {
    res.writeHead(302, { location: '/loop' });
    res.end();
  },
  '/moved': (_req, res) => {
    res.writeHead(301, { location: '/news/wind-farm.html' });
    res.end();
  },
  '/to-credentials': (_req, res, base) => {
    res.writeHead(302, { location: `${base.replace('http://', 'http://user:secret@')}/news/wind-farm.html` });
    res.end();
  },
  '/to-intranet': (_req, res) => {
    res.writeHead(302, { location: 'http://10.20.30.40/admin' });
    res.end();
  },
};

export class NewsServer {
  readonly requests: SeenRequest[] = [];
  private readonly extra = new Map<string, Handler>();
  private readonly server = createServer((req, res) => this.handle(req, res));
  private port = 0;

  static async start(): Promise<NewsServer> {
    const site = new NewsServer();
    await new Promise<void>((resolve) => site.server.listen(0, '127.0.0.1', resolve));
    site.port = (site.server.address() as AddressInfo).port;
    return site;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get portNumber(): number {
    return this.port;
  }

  url(pathname: string): string {
    return `${this.base}${pathname}`;
  }

  /**
   * A "hosts file" for tests: whatever host a URL names resolves to a public address, and the
   * connection goes to this site, so pages can be fetched "from" gazette.example or mirror.example
   * while no packet leaves 127.0.0.1 (even if a check were broken: then a test would fail).
   */
  routed(): Pick<FetchPolicy, 'resolve' | 'transport'> {
    return {
      resolve: async () => [{ address: '93.184.216.34', family: 4 }],
      transport: (url, options) =>
        http.request({
          ...options,
          lookup: undefined,
          host: '127.0.0.1',
          port: this.port,
          path: `${url.pathname}${url.search}`,
          headers: { ...options.headers, host: url.host },
        }),
    };
  }

  /** Serves `body` at `pathname` (a test's own page), with this Content-Type. */
  serve(pathname: string, body: string | Buffer, contentType = 'text/html; charset=utf-8'): string {
    this.extra.set(pathname, (_req, res) => {
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
    });
    return this.url(pathname);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const pathname = new URL(req.url ?? '/', this.base).pathname;
    this.requests.push({ path: pathname, userAgent: req.headers['user-agent'], authorization: req.headers.authorization });
    const route = this.extra.get(pathname) ?? ROUTES[pathname];
    if (route) return route(req, res, this.base);
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<h1>Not found</h1>');
  }
}
