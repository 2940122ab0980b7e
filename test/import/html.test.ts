import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/errors.js';
import { articleFromHtml } from '../../src/import/html.js';
import { FIXTURES } from '../support/news-server.js';

const page = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

describe('articleFromHtml', () => {
  it('takes JSON-LD NewsArticle metadata over OpenGraph and meta tags, and the main text as paragraphs', () => {
    const article = articleFromHtml(page('harbour-bridge.html'), { url: 'https://www.gazette.example/print/123' });
    expect(article).toMatchObject({
      title: 'Harbour bridge reopens after eight months of repairs',
      publisher: 'Harbour Gazette', // resolved through the @graph reference, not og:site_name
      author: 'Ana Ruiz, Tom Lee', // not meta author "Web Desk"
      date: '2024-03-04', // datePublished as written, not article:published_time
      url: 'https://gazette.example/2024/03/04/harbour-bridge-reopens', // not og:url or the fetched URL (the same site)
      origin: 'https://www.gazette.example/print/123',
    });
    expect(article.paragraphs[0]).toBe(
      'The harbour bridge reopened to traffic on Monday morning after eight months of repairs that cost the city 14.2 million euros, two months later than first planned.',
    );
    expect(article.paragraphs).toContain('## Buses return first');
    expect(article.paragraphs.at(-1)).toBe(
      'Work on the approach roads will continue at night until the end of April, and one lane in each direction may close between 10 pm and 5 am.',
    );
    const text = article.paragraphs.join('\n');
    for (const chrome of [
      'Subscribe',
      'Advertisement',
      'Related',
      'Comments',
      'All rights reserved',
      'Photo:',
      'dataLayer',
      'Share this',
    ]) {
      expect(text).not.toContain(chrome);
    }
  });

  it('without JSON-LD, reads OpenGraph, the author meta tag and <time>; tracking parameters are dropped', () => {
    const article = articleFromHtml(page('wind-farm.html'));
    expect(article).toMatchObject({
      title: 'Offshore wind farm approved despite fishing fleet objections',
      publisher: 'Northern Coast Herald',
      author: 'Ben Okafor', // article:author is a profile URL, so the meta tag gives the name
      date: '2023-11-21',
      url: 'https://herald.example/news/wind-farm-approved',
    });
    expect(article.paragraphs).toHaveLength(5);
    // A <br> inside a paragraph is a space, not glued words.
    expect(article.paragraphs[2]).toContain('spawning areas. The board said');
  });

  it("reads sloppy markup the way browsers do, with the source's fallbacks where the page says nothing", () => {
    const article = articleFromHtml(page('library-broken.html'), {
      url: 'https://town.example/library',
      fallback: { title: 'Feed title', date: '2024-01-10', publisher: 'Town News' },
    });
    expect(article).toMatchObject({ title: 'Feed title', date: '2024-01-10', publisher: 'Town News', url: 'https://town.example/library' });
    expect(article.paragraphs).toContain(
      'The library will open from noon to five in the afternoon. Two new part-time posts will be created, paid for by savings on heating the old reading room, which is being closed.',
    );
  });

  it('names a page without an article, a truncated page and binary data', () => {
    const codeOf = (html: string) => {
      try {
        articleFromHtml(html, { label: 'page.html' });
      } catch (error) {
        expect(error).toBeInstanceOf(ImportError);
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(codeOf(page('login.html'))).toMatch(
      /^no-article: no article text found in page\.html \(\d+ characters of main text; at least 200 needed\)$/,
    );
    expect(codeOf(page('truncated.html'))).toMatch(/^no-article: /);
    expect(codeOf('\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR')).toBe(
      'not-text: page.html is not an HTML page (it contains binary data)',
    );
  });

  it('ignores a broken JSON-LD block and uses the other sources', () => {
    const html = page('harbour-bridge.html').replace('"@context"', '"@context" oops');
    expect(articleFromHtml(html)).toMatchObject({
      title: 'Bridge reopens (social headline)',
      publisher: 'Gazette Social',
      author: 'Web Desk',
      date: '2024-03-05',
    });
  });

  it('takes no page URL that carries a user name or password', () => {
    const withCredentials = (html: string) =>
      html
        .replace('https://herald.example/news/wind-farm-approved', 'https://user:secret@herald.example/news/wind-farm-approved')
        .replace('href="/news/wind-farm-approved"', 'href="https://user:secret@herald.example/news/wind-farm-approved"');
    // og:url has them: the canonical link is taken instead; both have them: the URL the page came from.
    const ogOnly = page('wind-farm.html').replace(
      'content="https://herald.example/news/wind-farm-approved',
      'content="https://user:secret@herald.example/news/wind-farm-approved',
    );
    expect(articleFromHtml(ogOnly, { url: 'https://herald.example/page' }).url).toBe('https://herald.example/news/wind-farm-approved');
    expect(articleFromHtml(withCredentials(page('wind-farm.html')), { url: 'https://herald.example/page' }).url).toBe(
      'https://herald.example/page',
    );
  });

  it('names a page without HTML elements instead of failing: empty, a comment, plain text', () => {
    const codeOf = (html: string) => {
      try {
        articleFromHtml(html, { label: 'page.html' });
      } catch (error) {
        expect(error).toBeInstanceOf(ImportError);
        return (error as ImportError).code;
      }
      return 'no error';
    };
    for (const html of ['', '   \n', '<!-- nothing here -->', 'Just a few words.', '<p>A fragment.</p>'])
      expect(codeOf(html), JSON.stringify(html)).toBe('no-article');
    // Plain text long enough to be an article reads as one, as a browser shows it.
    const text = 'The harbour bridge reopened to traffic on Monday morning after eight months of repairs. '.repeat(4);
    expect(articleFromHtml(text, { fallback: { title: 'Bridge reopens' } }).paragraphs.join(' ')).toContain('eight months of repairs');
  });

  it("keeps a fetched page's claim to a URL only on the site it was fetched from", () => {
    // Any page can say it is the gazette's article; fetched elsewhere, it is its own article, under its own address.
    const mirror = articleFromHtml(page('harbour-bridge.html'), { url: 'https://mirror.example/copy?utm_source=x' });
    expect(mirror).toMatchObject({
      url: 'https://mirror.example/copy',
      origin: 'https://mirror.example/copy',
      note: 'the page names https://gazette.example/2024/03/04/harbour-bridge-reopens, on another site: stored as its own article under the address it was fetched from',
    });
    // A saved page (no fetch) keeps its claim; the writer checks it against the corpus.
    expect(articleFromHtml(page('harbour-bridge.html'), { origin: 'file:bridge.html#1' })).toMatchObject({
      url: 'https://gazette.example/2024/03/04/harbour-bridge-reopens',
      origin: 'file:bridge.html#1',
    });
  });
});
