import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/import/feed.js';

const message = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('parseFeed', () => {
  it('reads RSS 2.0 items: title (CDATA, entities), link made absolute, pubDate, dc:creator', () => {
    const xml = `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Coast &amp; Harbour</title>
      <item><title><![CDATA[Ferries <b>return</b>]]></title><link>/news/ferries</link><pubDate>Mon, 01 Apr 2024 08:00:00 GMT</pubDate><dc:creator>Jo Park</dc:creator></item>
      <item><title>Only a guid</title><guid>https://coast.example/guid-link</guid></item>
      <item><title>No link at all</title><guid isPermaLink="false">x1</guid></item></channel></rss>`;
    expect(parseFeed(xml, 'https://coast.example/feed.xml')).toEqual({
      title: 'Coast & Harbour',
      items: [
        { title: 'Ferries <b>return</b>', link: 'https://coast.example/news/ferries', date: '2024-04-01', author: 'Jo Park' },
        { title: 'Only a guid', link: 'https://coast.example/guid-link', date: null, author: null },
        { title: 'No link at all', link: null, date: null, author: null },
      ],
    });
  });

  it('reads Atom entries: the alternate link, published (or updated), author names', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Gazette</title>
      <entry><title type="html">Bridge &amp; road</title><link rel="enclosure" href="/a.jpg"/><link href="/news/bridge"/><published>2024-03-04T09:30:00+01:00</published><updated>2024-03-05T00:00:00Z</updated><author><name>Ana Ruiz</name></author><author><name>Tom Lee</name></author></entry>
      <entry><title>Updated only</title><link rel="alternate" href="https://gazette.example/u"/><updated>2024-03-06T10:00:00Z</updated></entry></feed>`;
    expect(parseFeed(xml, 'https://gazette.example/feed')).toEqual({
      title: 'Gazette',
      items: [
        { title: 'Bridge & road', link: 'https://gazette.example/news/bridge', date: '2024-03-04', author: 'Ana Ruiz, Tom Lee' },
        { title: 'Updated only', link: 'https://gazette.example/u', date: '2024-03-06', author: null },
      ],
    });
  });

  it('names a feed that is not XML, and XML that is not a feed', () => {
    expect(message(() => parseFeed('<!DOCTYPE html><html><body><p>Hi<br></body></html>', 'https://x.example/feed'))).toMatch(
      /^not-xml: https:\/\/x\.example\/feed is not XML \(line \d+: .+\)$/,
    );
    expect(message(() => parseFeed('{"items": []}', 'https://x.example/feed'))).toMatch(/^not-xml: /);
    expect(message(() => parseFeed('<?xml version="1.0"?><html><body/></html>', 'https://x.example/feed'))).toBe(
      'not-a-feed: https://x.example/feed is XML but not an RSS or Atom feed (its root element is <html>)',
    );
  });

  it('keeps entity expansion bounded (a "billion laughs" feed does not blow up)', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]><rss version="2.0"><channel><title>&f;</title></channel></rss>`;
    let title: string | null = null;
    try {
      title = parseFeed(lol, 'https://x.example/feed').title;
    } catch {
      title = null;
    }
    expect((title ?? '').length).toBeLessThan(200_000);
  });
});
