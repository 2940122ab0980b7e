import { describe, expect, it } from 'vitest';
import { blockquote, escapeSourceText, fitSourceText, shortenAtSentence, truncate } from '../../src/bot/markdown.js';

describe('shortenAtSentence', () => {
  const text = 'First sentence is here. Second one follows. Third sentence is rather longer than the others.';

  it('keeps text that fits', () => {
    expect(shortenAtSentence(text, text.length)).toBe(text);
  });

  it('cuts after the last whole sentence that fits and marks the cut', () => {
    expect(shortenAtSentence(text, 50)).toBe('First sentence is here. Second one follows. …');
    expect(shortenAtSentence(text, 30)).toBe('First sentence is here. …');
  });

  it('cuts a single overlong sentence at a word boundary', () => {
    const long = 'word '.repeat(100).trim();
    const short = shortenAtSentence(long, 42);
    expect(short.length).toBeLessThanOrEqual(42);
    expect(short).toMatch(/^(word )+…$/);
  });
});

describe('truncate', () => {
  it('ends with an ellipsis only when something was dropped', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a longer piece of text', 10)).toBe('a longer …'.replace(' …', '…'));
    expect(truncate('a longer piece of text', 10).length).toBeLessThanOrEqual(10);
  });

  it('never leaves half of a surrogate pair', () => {
    const cut = truncate('ab😀😀😀', 4);
    expect(cut).toBe('ab…');
  });
});

describe('escapeSourceText', () => {
  it('neutralises mass mentions, user/role/channel mentions and other tokens', () => {
    const escaped = escapeSourceText('Hi @everyone and @here, <@123>, <@!123>, <@&456>, <#789>, </ask:1>, <t:1700000000:R>');
    expect(escaped).not.toMatch(/@everyone|@here|<@\d|<@!|<@&|<#\d|<\/|<t:/);
    expect(escaped.replace(/\u200b/g, '')).toContain('@everyone');
  });

  it('escapes markdown, code fences, masked links, headings, lists and quotes', () => {
    const hostile = '# Big\n> quoted\n- item\n1. first\n**bold** __u__ ~~s~~ ||spoiler|| `code`\n```js\nalert(1)\n```\n[click](https://evil.example)';
    const escaped = escapeSourceText(hostile);
    expect(escaped).toContain('\\# Big');
    expect(escaped).toContain('\\> quoted');
    expect(escaped).toContain('\\- item');
    expect(escaped).toContain('1\\. first');
    expect(escaped).toContain('\\*\\*bold\\*\\*');
    expect(escaped).toContain('\\|\\|spoiler\\|\\|');
    expect(escaped).toContain('\\`\\`\\`js');
    expect(escaped).not.toMatch(/(^|[^\\])```/);
    expect(escaped).toContain('\\[click]');
  });

  it('leaves ordinary prose alone', () => {
    const prose = 'Russia gave an “emergency” donation of 25,000 tonnes of wheat last month.';
    expect(escapeSourceText(prose)).toBe(prose);
  });
});

describe('blockquote and fitSourceText', () => {
  it('quotes every line and collapses blank runs', () => {
    expect(blockquote('one\n\n\n\ntwo\nthree ')).toBe('> one\n> \n> two\n> three');
  });

  it('fits escaped, quoted text into the budget even when escaping lengthens it', () => {
    const raw = '*a* '.repeat(400);
    const fitted = fitSourceText(raw, 300, { quoted: true });
    expect(fitted.length).toBeLessThanOrEqual(300);
    expect(fitted.startsWith('> \\*a\\*')).toBe(true);
    expect(fitted.endsWith('…')).toBe(true);
  });
});
