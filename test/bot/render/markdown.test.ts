import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockquote, escapeSourceText, fitSourceText, shortenAtSentence, truncate } from '../../../src/bot/render/markdown.js';
import { parseDiscordMarkdown, withoutBold } from '../../support/discord-markdown.js';
import { hostileString } from '../../support/hostile-strings.js';

/** How the model shows line breaks: every kind becomes \n. */
const asLines = (text: string) => text.replace(/\r\n|[\r\n\u2028\u2029]/g, '\n');

/** What Discord would render of `text` once escaped: the kinds of constructs, and the text shown. */
function rendered(text: string) {
  const { constructs, visible } = parseDiscordMarkdown(escapeSourceText(text));
  return { kinds: constructs.map((c) => c.kind), visible };
}

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

describe('escapeSourceText, one construct at a time', () => {
  it.each([
    // Finding: only the first `[` of a line was escaped, so the second link stayed live.
    [
      'masked links anywhere on a line',
      'see [a](https://a.example) and [click here](https://evil.example)',
      'see \\[a\\](https\\://a.example) and \\[click here\\](https\\://evil.example)',
    ],
    ['a bare link', 'read https://evil.example/x now', 'read https\\://evil.example/x now'],
    ['an embed-less link', 'go <https://evil.example>', 'go \\<https\\://evil.example\\>'],
    ['headings', '# Big\n## Mid\n   ### Small', '\\# Big\n\\## Mid\n   \\### Small'],
    ['subtext', '-# small print', '\\-# small print'],
    ['bulleted lists', '- one\n* two\n+ three', '\\- one\n\\* two\n\\+ three'],
    ['numbered lists', '1. first\n  2) second', '1\\. first\n  2\\) second'],
    ['quotes', '> quoted\n>>> all the rest', '\\> quoted\n\\>\\>\\> all the rest'],
    ['spoilers', '||the end||', '\\|\\|the end\\|\\|'],
    ['emphasis, underline and strike', '**b** *i* _i_ __u__ ~~s~~', '\\*\\*b\\*\\* \\*i\\* \\_i\\_ \\_\\_u\\_\\_ \\~\\~s\\~\\~'],
    ['inline code and fences', '`x` ```js\nalert(1)\n```', '\\`x\\` \\`\\`\\`js\nalert(1)\n\\`\\`\\`'],
    [
      'timestamps and <id:…> tokens',
      '<t:1700000000:R> <id:customize> <id:browse>',
      '\\<t:1700000000:R\\> \\<id:customize\\> \\<id:browse\\>',
    ],
    [
      'user, role, channel, command and emoji tokens',
      '<@123> <@!123> <@&4> <#5> </ask:1> <:e:1> <a:e:2>',
      '\\<\\@123\\> \\<\\@!123\\> \\<\\@&4\\> \\<#5\\> \\</ask:1\\> \\<:e:1\\> \\<a:e:2\\>',
    ],
    ['mass mentions', 'hi @everyone and @here', 'hi \\@everyone and \\@here'],
    ['a backslash that would escape the escape', 'C:\\path\\*x', 'C:\\\\path\\\\\\*x'],
    ['markers after other line breaks', 'a\r# b\u2028- c\u2029> d', 'a\r\\# b\u2028\\- c\u2029\\> d'],
  ])('%s', (_what, text, escaped) => {
    expect(escapeSourceText(text)).toBe(escaped);
    expect(rendered(text)).toEqual({ kinds: [], visible: asLines(text) });
  });

  it('leaves ordinary prose alone', () => {
    const prose = 'Russia gave an “emergency” donation of 25,000 tonnes of wheat last month.';
    expect(escapeSourceText(prose)).toBe(prose);
  });

  it('the model finds each construct when it is not escaped', () => {
    const raw = (text: string) => parseDiscordMarkdown(text).constructs.map((c) => c.kind);
    expect(raw('see [a](https://a.example) and [b](https://evil.example)')).toEqual(['bracket', 'link', 'bracket', 'link']);
    expect(raw('> # x\n-# y\n1. z')).toEqual(['quote', 'heading', 'subtext', 'list']);
    expect(raw('||s|| `c` <@1> @here https://x')).toEqual([
      'emphasis',
      'emphasis',
      'emphasis',
      'emphasis',
      'code',
      'angle',
      'mention',
      'mention',
      'autolink',
    ]);
  });
});

describe('escapeSourceText, any string', () => {
  it('nothing in the text renders, and it reads exactly as written', () => {
    fc.assert(
      fc.property(hostileString(), (text) => {
        expect(rendered(text)).toEqual({ kinds: [], visible: asLines(text) });
      }),
      { numRuns: 2000 },
    );
  });

  it('shortened and quoted for an embed, only the quote markers render, one at the start of each line', () => {
    fc.assert(
      fc.property(hostileString(40), fc.integer({ min: 1, max: 200 }), fc.boolean(), (text, max, quoted) => {
        const fitted = fitSourceText(text, max, { quoted });
        expect(fitted.length).toBeLessThanOrEqual(max);
        const { constructs, visible } = parseDiscordMarkdown(fitted);
        const lineStarts = visible.split('\n').reduce<number[]>((starts, line) => [...starts, starts.at(-1)! + line.length + 1], [0]);
        for (const construct of constructs) {
          expect(
            quoted && construct.kind === 'quote' && construct.at === lineStarts[construct.line],
            `${construct.kind} in ${JSON.stringify(fitted)}`,
          ).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
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

/** Where the text shows a `*` that no backslash escapes (positions in the text as shown, escapes consumed): the bold markers, and nothing else may be. */
function unescapedStars(text: string): number[] {
  const at: number[] = [];
  let shown = 0;
  for (let i = 0; i < text.length; i++, shown++) {
    if (text[i] === '\\' && i + 1 < text.length && /[!-/:-@[-`{-~]/.test(text[i + 1]!)) i++;
    else if (text[i] === '*') at.push(shown);
  }
  return at;
}

/** What renders besides the quote markers (the strict model flags every bold marker on its own). */
function renderedBesidesQuotes(fitted: string): number[] {
  return parseDiscordMarkdown(fitted)
    .constructs.filter((c) => c.kind !== 'quote')
    .map((c) => c.at);
}

describe('fitSourceText with the marked answer in bold', () => {
  it('bolds exactly the answer and escapes the rest', () => {
    const quote = 'Russia gave *25,000 tonnes* of [wheat](https://evil.example) last month.';
    const fitted = fitSourceText(quote, 900, { quoted: true, bold: { start: 12, end: 27 } });
    expect(fitted).toBe('> Russia gave **\\*25,000 tonnes\\*** of \\[wheat\\](https\\://evil.example) last month.');
    expect(renderedBesidesQuotes(fitted)).toEqual(unescapedStars(fitted));
    expect(unescapedStars(fitted)).toHaveLength(4);
  });

  it('leaves the answer plain when the shortened quote no longer holds all of it', () => {
    const quote = `${'A long opening sentence about the subject. '.repeat(6)}The answer is 42.`;
    const start = quote.indexOf('42');
    const fitted = fitSourceText(quote, 120, { quoted: false, bold: { start, end: start + 2 } });
    expect(fitted).not.toContain('**');
  });

  it('escapes the marked text as the text around it: a mark mid-line that starts with a number or a dash is no line start', () => {
    const quote = 'Repairs cost the city 14.2 million euros, a well-known sum.';
    const answer = { start: quote.indexOf('14.2'), end: quote.indexOf(',') };
    expect(fitSourceText(quote, 300, { quoted: true, bold: answer })).toBe(
      '> Repairs cost the city **14.2 million euros**, a well-known sum.',
    );
    const dash = { start: quote.indexOf('-known'), end: quote.indexOf(' sum') };
    expect(fitSourceText(quote, 300, { quoted: true, bold: dash })).toBe(
      '> Repairs cost the city 14.2 million euros, a well**-known** sum.',
    );
  });

  it('for any text and any span, only the two bold markers render besides the quote markers', () => {
    fc.assert(
      fc.property(hostileString(40), fc.nat(60), fc.nat(20), (text, at, length) => {
        const fitted = fitSourceText(text, 300, { quoted: true, bold: { start: at, end: at + length } });
        const stars = unescapedStars(fitted);
        expect([0, 4]).toContain(stars.length);
        expect(renderedBesidesQuotes(fitted), JSON.stringify(fitted)).toEqual(stars);
        // Without its two markers, the quote is escaped exactly as an unmarked one.
        if (stars.length > 0) expect(withoutBold(fitted)).toBe(fitSourceText(text, 300, { quoted: true }));
      }),
      { numRuns: 1000 },
    );
  });
});
