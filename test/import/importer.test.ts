import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/corpus.js';
import type { FetchPolicy } from '../../src/import/fetch.js';
import { importSources, type ReportEntry } from '../../src/import/importer.js';
import { formatReport } from '../../src/import/report.js';
import { tempDir } from '../support/helpers.js';
import { FIXTURES, NewsServer } from '../support/news-server.js';

let site: NewsServer;
beforeAll(async () => {
  site = await NewsServer.start();
});
afterAll(() => site.close());

const policy: FetchPolicy = { timeoutMs: 5_000, maxBytes: 1024 * 1024, allowPrivateHosts: true };
const summary = (entries: ReportEntry[]) =>
  entries.map((e) => (e.status === 'skipped' ? `skipped ${e.source}: ${e.reason.split(':')[0]}` : `${e.status} ${e.file}`));

/** Every file of a folder with its bytes, to prove a failed import changed nothing. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .sort()
      .map((file) => [file, readFileSync(path.join(dir, file), 'latin1')]),
  );
}

describe('importSources', () => {
  it("imports each item of an RSS feed as its page, with the feed's title and date where the page has none", async () => {
    const dir = tempDir('import-rss-');
    const { entries } = await importSources({ feeds: [site.url('/feed.rss')] }, { outDir: dir, fetch: policy });
    expect(summary(entries)).toEqual([
      'imported offshore-wind-farm-approved-despite-fishing-fleet-objections.md',
      'imported sunday-opening-for-the-town-library.md',
      `skipped ${site.url('/news/removed.html')}: http-status`,
    ]);
    const docs = loadCorpus(dir).documents;
    expect(docs.find((doc) => doc.id.startsWith('offshore'))).toMatchObject({
      title: 'Offshore wind farm approved despite fishing fleet objections', // the page's own title wins
      publisher: 'Northern Coast Herald',
      date: '2023-11-21',
    });
    expect(docs.find((doc) => doc.id.startsWith('sunday'))).toMatchObject({
      title: 'Sunday opening for the town library', // the page has no metadata: the feed's title
      publisher: 'Coast & Harbour News',
      author: 'Priya Natarajan',
      date: '2024-01-10',
      url: site.url('/news/library.html'),
    });

    // Importing the feed again replaces, never duplicates.
    const again = await importSources({ feeds: [site.url('/feed.rss')] }, { outDir: dir, fetch: policy });
    expect(again.entries.map((e) => e.status)).toEqual(['unchanged', 'unchanged', 'skipped']);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('imports an Atom feed and reports an entry that is not a web page', async () => {
    const dir = tempDir('import-atom-');
    const { entries } = await importSources({ feeds: [site.url('/feed.atom')] }, { outDir: dir, fetch: policy });
    expect(summary(entries)).toEqual([
      `imported harbour-bridge-reopens-after-eight-months-of-repairs.md`,
      `skipped ${site.url('/img/bridge.png')}: unsupported-type`,
    ]);
    expect(formatReport({ entries })).toBe(
      [
        'import: 1 imported, 0 updated, 0 unchanged, 1 skipped',
        `  + harbour-bridge-reopens-after-eight-months-of-repairs.md ← ${site.url('/news/harbour-bridge.html')} (the page names https://gazette.example/2024/03/04/harbour-bridge-reopens, on another site: stored as its own article under the address it was fetched from)`,
        `  ! ${site.url('/img/bridge.png')}: unsupported-type: ${site.url('/img/bridge.png')} is image/png, not a web page`,
      ].join('\n'),
    );
  });

  it('keeps the folders of saved pages, and reads JSONL exports', async () => {
    const saved = tempDir('saved-');
    cpSync(path.join(FIXTURES, 'wind-farm.html'), path.join(saved, 'herald/2023/wind.html'), { recursive: true });
    cpSync(path.join(FIXTURES, 'library-broken.html'), path.join(saved, 'town/library.htm'), { recursive: true });
    const dir = tempDir('import-files-');
    const { entries } = await importSources(
      { html: [saved], jsonl: [path.join(FIXTURES, 'sample.jsonl')] },
      { outDir: dir, folder: 'archive', fetch: policy },
    );
    expect(summary(entries).filter((line) => !line.startsWith('skipped'))).toEqual([
      'imported archive/herald/2023/offshore-wind-farm-approved-despite-fishing-fleet-objections.md',
      'imported archive/town/town-library-to-open-on-sundays.md',
      'imported archive/ferry-fares-frozen-for-another-year.md',
      'imported archive/cocoa-growers-report-rain.md',
      'imported archive/42.md',
    ]);
    expect(loadCorpus(dir).documents.find((doc) => doc.id === 'archive/town/town-library-to-open-on-sundays')).toMatchObject({
      author: 'Priya Natarajan',
    });
  });

  it('reports bad sources one by one, goes on, and loses nothing already in the corpus', async () => {
    const dir = tempDir('import-bad-');
    await importSources({ urls: [site.url('/news/harbour-bridge.html')] }, { outDir: dir, fetch: policy });
    writeFileSync(path.join(dir, 'notes.md'), '# Notes\n\nA file written by hand stays as it is.');
    const before = snapshot(dir);
    const { entries } = await importSources(
      {
        html: [path.join(FIXTURES, 'truncated.html'), '/no/such/folder'],
        urls: [site.url('/huge.html'), site.url('/slow.html'), 'http://10.0.0.7/news', site.url('/news/harbour-bridge.html')],
        feeds: [site.url('/not-a-feed.xml')],
      },
      {
        outDir: dir,
        fetch: {
          ...policy,
          timeoutMs: 500,
          allowPrivateHosts: false,
          transport: () => {
            throw new Error('no connection may be opened');
          },
        },
      },
    );
    expect(summary(entries)).toEqual([
      `skipped ${path.join(FIXTURES, 'truncated.html')}: no-article`,
      'skipped /no/such/folder: unreadable',
      `skipped ${site.url('/huge.html')}: blocked-address`,
      `skipped ${site.url('/slow.html')}: blocked-address`,
      'skipped http://10.0.0.7/news: blocked-address',
      `skipped ${site.url('/news/harbour-bridge.html')}: blocked-address`,
      `skipped ${site.url('/not-a-feed.xml')}: blocked-address`,
    ]);
    const allowed = await importSources(
      { urls: [site.url('/huge.html'), site.url('/slow.html')], feeds: [site.url('/not-a-feed.xml')] },
      { outDir: dir, fetch: { ...policy, timeoutMs: 500 } },
    );
    expect(summary(allowed.entries)).toEqual([
      `skipped ${site.url('/huge.html')}: too-large`,
      `skipped ${site.url('/slow.html')}: timeout`,
      `skipped ${site.url('/not-a-feed.xml')}: not-xml`,
    ]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses URLs with credentials, from the command line or a feed, and never shows or stores them', async () => {
    const dir = tempDir('import-credentials-');
    const withCredentials = (url: string) => url.replace('http://', 'http://user:secret@');
    const feed = site.serve(
      '/credentials.rss',
      `<rss version="2.0"><channel><title>Creds</title><item><title>Wind</title><link>${withCredentials(site.url('/news/wind-farm.html'))}</link></item></channel></rss>`,
      'application/rss+xml',
    );
    const before = site.requests.length;
    const { entries } = await importSources(
      { urls: [withCredentials(site.url('/news/harbour-bridge.html'))], feeds: [feed] },
      { outDir: dir, fetch: policy },
    );
    expect(summary(entries)).toEqual([
      `skipped ${site.url('/news/harbour-bridge.html').replace('http://', 'http://***@')}: bad-url`,
      `skipped ${site.url('/news/wind-farm.html').replace('http://', 'http://***@')}: bad-url`,
    ]);
    expect(formatReport({ entries })).not.toContain('secret');
    expect(site.requests.slice(before).map((request) => request.path)).toEqual(['/credentials.rss']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('goes on past pages without HTML elements and pages in the wrong charset, naming each; honours a charset only the page declares', async () => {
    const wind = readFileSync(path.join(FIXTURES, 'wind-farm.html'), 'utf8');
    // Declared in the page only; “ and ” are 0x93 and 0x94 in windows-1252.
    const windowsPage = wind
      .replace('charset=utf-8', 'charset=windows-1252')
      .replaceAll('wind-farm-approved', 'wind-farm-windows')
      .replaceAll('farm approved', 'farm “approved”');
    const windows = Buffer.from(windowsPage.replaceAll('“', '\x93').replaceAll('”', '\x94'), 'latin1');
    const pages = {
      empty: site.serve('/hostile/empty.html', ''),
      comment: site.serve('/hostile/comment.html', '<!-- moved -->'),
      plain: site.serve('/hostile/plain.html', 'Moved.', 'text/html'),
      utf16: site.serve('/hostile/utf16.html', readFileSync(path.join(FIXTURES, 'library-broken.html')), 'text/html; charset=utf-16'),
      latin1: site.serve(
        '/hostile/latin1.html',
        Buffer.from(wind.replace('fishing fleet', 'fishing fléet'), 'latin1'),
        'text/html; charset=utf-8',
      ),
      windows: site.serve('/hostile/windows.html', windows, 'text/html'),
    };
    const feed = site.serve(
      '/hostile.rss',
      `<rss version="2.0"><channel><title>Hostile</title>${Object.entries(pages)
        .map(([name, link]) => `<item><title>Item ${name}</title><link>${link}</link></item>`)
        .join('')}</channel></rss>`,
      'application/rss+xml',
    );
    const saved = tempDir('saved-hostile-');
    mkdirSync(path.join(saved, 'a'));
    writeFileSync(path.join(saved, 'a/empty.html'), '');
    writeFileSync(path.join(saved, 'a/comment.html'), '<!-- nothing -->');
    writeFileSync(path.join(saved, 'a/plain.html'), 'Just text.');
    cpSync(path.join(FIXTURES, 'wind-farm.html'), path.join(saved, 'b/wind.html'), { recursive: true });
    const dir = tempDir('import-hostile-');
    const { entries } = await importSources({ html: [saved], feeds: [feed] }, { outDir: dir, fetch: policy });
    expect(summary(entries)).toEqual([
      `skipped ${path.join(saved, 'a/comment.html')}: no-article`,
      `skipped ${path.join(saved, 'a/empty.html')}: no-article`,
      `skipped ${path.join(saved, 'a/plain.html')}: no-article`,
      'imported b/offshore-wind-farm-approved-despite-fishing-fleet-objections.md',
      `skipped ${pages.empty}: no-article`,
      `skipped ${pages.comment}: no-article`,
      `skipped ${pages.plain}: no-article`,
      'imported item-utf16.md',
      `skipped ${pages.latin1}: bad-charset`,
      'imported offshore-wind-farm-approved-despite-fishing-fleet-objections.md',
    ]);
    const titles = loadCorpus(dir).documents.map((doc) => doc.title);
    expect(titles).toContain('Offshore wind farm “approved” despite fishing fleet objections');
  });

  it('names a JSONL "file" that is a folder, and goes on', async () => {
    const dir = tempDir('import-folder-jsonl-');
    const folderAsJsonl = tempDir('not-a-file-');
    const { entries } = await importSources(
      { jsonl: [folderAsJsonl, path.join(FIXTURES, 'sample.jsonl')] },
      { outDir: dir, fetch: policy },
    );
    expect(entries[0]).toEqual({ source: folderAsJsonl, status: 'skipped', reason: `unreadable: ${folderAsJsonl}: EISDIR` });
    expect(entries.filter((entry) => entry.status === 'imported')).toHaveLength(3);
  });

  it("never lets a page from one site overwrite or be credited as another outlet's article", async () => {
    const dir = tempDir('import-origin-');
    const routed = { ...policy, allowPrivateHosts: false, ...site.routed() };
    // The gazette's own page, fetched from the gazette.
    const first = await importSources({ urls: ['http://gazette.example/news/harbour-bridge.html'] }, { outDir: dir, fetch: routed });
    expect(summary(first.entries)).toEqual(['imported harbour-bridge-reopens-after-eight-months-of-repairs.md']);
    const gazette = snapshot(dir);
    // The same page served by another site claims the gazette's URL: it becomes its own article, at its own address.
    const copy = await importSources({ urls: ['http://mirror.example/news/harbour-bridge.html'] }, { outDir: dir, fetch: routed });
    expect(copy.entries).toEqual([
      {
        source: 'http://mirror.example/news/harbour-bridge.html',
        status: 'imported',
        file: expect.stringMatching(/^harbour-bridge-reopens-after-eight-months-of-repairs-[0-9a-f]{6}\.md$/),
        note: 'the page names https://gazette.example/2024/03/04/harbour-bridge-reopens, on another site: stored as its own article under the address it was fetched from',
      },
    ]);
    const documents = loadCorpus(dir).documents;
    expect(documents.map((doc) => doc.url).sort()).toEqual([
      'http://mirror.example/news/harbour-bridge.html',
      'https://gazette.example/2024/03/04/harbour-bridge-reopens',
    ]);
    // A saved copy that claims the URL is refused by name, and changes nothing...
    const saved = await importSources({ html: [path.join(FIXTURES, 'harbour-bridge.html')] }, { outDir: dir, fetch: routed });
    expect(summary(saved.entries)).toEqual([`skipped ${path.join(FIXTURES, 'harbour-bridge.html')}: other-origin`]);
    expect(snapshot(dir)['harbour-bridge-reopens-after-eight-months-of-repairs.md']).toBe(
      gazette['harbour-bridge-reopens-after-eight-months-of-repairs.md'],
    );
    // ...unless --replace says so, and the report says what it replaced.
    const replaced = await importSources(
      { html: [path.join(FIXTURES, 'harbour-bridge.html')] },
      { outDir: dir, fetch: routed, replace: true },
    );
    expect(formatReport(replaced)).toContain('  ~ harbour-bridge-reopens-after-eight-months-of-repairs.md ← ');
    expect(formatReport(replaced)).toContain('(replaced the article from http://gazette.example/news/harbour-bridge.html (--replace))');
  });
});
