import { describe, expect, it } from 'vitest';
import { decodeHtml, decodeXml } from '../../src/import/charset.js';
import { importRefusal } from '../support/import-refusal.js';

const PROSE = 'Café owners said the “new” rules — €2 a day — were fair.';
const page = (head: string) => `<!DOCTYPE html><html><head>${head}<title>T</title></head><body><p>${PROSE}</p></body></html>`;
const windows1252 = (text: string) =>
  Buffer.from([...text].map((c) => ({ '“': 0x93, '”': 0x94, '—': 0x97, '€': 0x80 })[c] ?? c.charCodeAt(0)));

describe('decodeHtml', () => {
  it('honours a charset only the page declares (<meta charset> or http-equiv)', () => {
    expect(decodeHtml(windows1252(page('<meta charset="windows-1252">')), null, 'p')).toContain(PROSE);
    expect(decodeHtml(windows1252(page('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')), null, 'p')).toContain(
      PROSE,
    );
    // A byte windows-1252 leaves undefined is not text.
    expect(
      importRefusal(() => decodeHtml(Buffer.concat([windows1252(page('<meta charset="windows-1252">')), Buffer.from([0x81])]), null, 'p')),
    ).toMatch(/^bad-charset: p is not valid windows-1252 \(the page declares charset windows-1252\)/);
  });

  it('refuses Latin-1 bytes labelled (or taken for) UTF-8, naming the charset and where it came from', () => {
    const latin1 = windows1252(page(''));
    expect(importRefusal(() => decodeHtml(latin1, 'utf-8', 'https://news.example/a'))).toBe(
      'bad-charset: https://news.example/a is not valid utf-8 (the server declared charset=utf-8); its text would be garbled',
    );
    expect(importRefusal(() => decodeHtml(latin1, null, 'a.html'))).toBe(
      'bad-charset: a.html is not valid utf-8 (no charset was declared, so UTF-8); its text would be garbled',
    );
    expect(importRefusal(() => decodeHtml(windows1252(page('<meta charset="utf-8">')), null, 'a.html'))).toMatch(
      /^bad-charset: a\.html is not valid utf-8 \(the page declares charset utf-8\)/,
    );
  });

  it('reads a UTF-8 page whose server or page claims UTF-16 as UTF-8, as browsers do', () => {
    const utf8 = Buffer.from(page('<meta charset="utf-16">'));
    expect(decodeHtml(utf8, 'utf-16', 'p')).toContain(PROSE);
    expect(decodeHtml(utf8, null, 'p')).toContain(PROSE);
  });

  it('reads real UTF-16 by its byte-order mark or its declared charset', () => {
    const text = page('');
    expect(decodeHtml(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), null, 'p')).toBe(text);
    expect(decodeHtml(Buffer.from(text, 'utf16le'), 'utf-16le', 'p')).toBe(text);
  });

  it("lets the server's charset win over the page's, and ignores a label it does not know", () => {
    expect(decodeHtml(Buffer.from(page('<meta charset="windows-1252">')), 'utf-8', 'p')).toContain(PROSE);
    expect(decodeHtml(Buffer.from(page('')), 'no-such-charset', 'p')).toContain(PROSE);
  });
});

describe('decodeXml', () => {
  it("honours the XML declaration's encoding", () => {
    const xml = `<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>${PROSE}</title></channel></rss>`;
    expect(decodeXml(windows1252(xml), null, 'feed')).toBe(xml);
    expect(importRefusal(() => decodeXml(windows1252(xml.replace('ISO-8859-1', 'UTF-8')), null, 'feed'))).toMatch(
      /^bad-charset: feed is not valid utf-8 \(the feed declares charset UTF-8\)/,
    );
  });
});
