import { describe, expect, it } from 'vitest';
import {
  findTextDirective,
  parseTextDirective,
  quoteLink,
  serializeTextDirective,
  type TextDirective,
  textDirectiveFor,
  withTextDirective,
} from '../../src/core/text-fragment.js';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { quotableSentences } from '../../src/text/prose.js';
import { SEEDS } from '../support/helpers.js';

const directive = (parts: Partial<TextDirective> & { textStart: string }): TextDirective => ({
  prefix: null,
  textEnd: null,
  suffix: null,
  ...parts,
});

describe('text directives as the WICG draft writes them', () => {
  it('serialises and parses the examples of the Syntax section', () => {
    expect(serializeTextDirective(directive({ textStart: 'an example text fragment' }))).toBe('text=an%20example%20text%20fragment');
    expect(serializeTextDirective(directive({ textStart: 'an example', textEnd: 'text fragment' }))).toBe(
      'text=an%20example,text%20fragment',
    );
    expect(parseTextDirective('text=this%20is-,an%20example,-text%20fragment')).toEqual({
      prefix: 'this is',
      textStart: 'an example',
      textEnd: null,
      suffix: 'text fragment',
    });
    expect(parseTextDirective('text=prefix-,foo,bar')).toEqual({ prefix: 'prefix', textStart: 'foo', textEnd: 'bar', suffix: null });
    expect(parseTextDirective('text=')).toBeNull();
    expect(parseTextDirective('text=a,b,c,d,e')).toBeNull();
  });

  it('percent-encodes the BiDi example as the draft does', () => {
    const egypt = '\u0645\u0635\u0631';
    const bahrain = '\u0627\u0644\u0628\u062d\u0631\u064a\u0646';
    expect(serializeTextDirective(directive({ prefix: bahrain, textStart: egypt }))).toBe(
      'text=%D8%A7%D9%84%D8%A8%D8%AD%D8%B1%D9%8A%D9%86-,%D9%85%D8%B5%D8%B1',
    );
  });

  it('percent-encodes the characters of its own syntax (-, comma, &) and keeps the explicit ones', () => {
    const encoded = serializeTextDirective(directive({ textStart: "well-known, A & B's (2024)" }));
    expect(encoded).toBe("text=well%2Dknown%2C%20A%20%26%20B's%20(2024)");
    expect(parseTextDirective(encoded)!.textStart).toBe("well-known, A & B's (2024)");
  });

  it('adds the directive after an element fragment, and replaces an old directive', () => {
    expect(withTextDirective('https://example.com', directive({ textStart: 'foo' }))).toBe('https://example.com#:~:text=foo');
    expect(withTextDirective('https://example.org/#test', directive({ textStart: 'foo' }))).toBe('https://example.org/#test:~:text=foo');
    expect(withTextDirective('https://example.org/#test:~:text=old', directive({ textStart: 'foo' }))).toBe(
      'https://example.org/#test:~:text=foo',
    );
  });

  it('matches context as the Context Terms example says', () => {
    const parsed = parseTextDirective('text=this%20is-,an%20example,-text%20fragment')!;
    const matching = 'this is an example text fragment';
    expect(findTextDirective({ text: matching }, parsed)).toEqual({ start: 8, end: 18 });
    expect(findTextDirective({ text: 'here is an example text' }, parsed)).toBeNull();
  });

  it('selects from textStart to the first textEnd after it, at word boundaries and whatever the case', () => {
    const text = 'Examples abound. An example of a text fragment, then another text fragment.';
    expect(findTextDirective({ text }, parseTextDirective('text=an%20example,text%20fragment')!)).toEqual({ start: 17, end: 46 });
    // "ample" is inside a word: never a match.
    expect(findTextDirective({ text }, parseTextDirective('text=ample')!)).toBeNull();
  });
});

describe('the link of a quote', () => {
  const text = 'Wheat arrived. The ship carried wheat to Havana.\n\nThe ship carried wheat to Matanzas later that week, officials said.\n';

  it('is the plain URL, or null, when a directive cannot be trusted', () => {
    expect(quoteLink(null, { text }, 0, 14)).toBeNull();
    // Markdown marks around the opening words: the page shows them otherwise (marks inside a range are fine).
    const bold = 'Intro line here.\n\n**The minister** said so on Monday.\n';
    expect(quoteLink('https://n.example/a', { text: bold }, 18, bold.length - 1)).toBe('https://n.example/a');
    const inside = 'Intro line here.\n\nThe mayor of the town said **yesterday** that the bridge will reopen on Monday.\n';
    expect(quoteLink('https://n.example/a', { text: inside }, 18, inside.length - 1)).toBe(
      'https://n.example/a#:~:text=The%20mayor%20of,reopen%20on%20Monday.',
    );
    // Front matter is not on the page.
    const md = '---\ntitle: T\n---\nBody sentence one here.\n';
    expect(textDirectiveFor({ text: md, bodyStart: 17 }, 4, 12)).toBeNull();
  });

  it('disambiguates a repeated opening with context or its end, and selects exactly the quote', () => {
    const start = text.indexOf('The ship carried wheat to Matanzas');
    const end = text.indexOf('said.') + 'said.'.length;
    const found = textDirectiveFor({ text }, start, end)!;
    expect(found).not.toBeNull();
    expect(findTextDirective({ text }, found)).toEqual({ start, end });
    const link = quoteLink('https://n.example/story', { text }, start, end)!;
    expect(link.startsWith('https://n.example/story#:~:text=')).toBe(true);
    expect(parseTextDirective(link.split(':~:')[1]!)).toEqual(found);
  });

  it('never selects words of the title in place of the quote', () => {
    const body = 'Prices rose sharply in May.\nPrices rose sharply in May, the bank said.\n';
    const source = { text: body, title: 'Prices rose sharply' };
    const start = body.indexOf('Prices rose sharply in May, the');
    const found = textDirectiveFor(source, start, body.length - 1);
    expect(found).not.toBeNull();
    expect(findTextDirective(source, found!)).toEqual({ start, end: body.length - 1 });
  });

  it('selects exactly the sentence for every quotable sentence of the seed articles, or falls back', () => {
    let linked = 0;
    let total = 0;
    for (const doc of loadCorpus(SEEDS).documents) {
      for (const sentence of quotableSentences(doc)) {
        total++;
        const found = textDirectiveFor(doc, sentence.start, sentence.end);
        if (!found) continue;
        linked++;
        expect(findTextDirective(doc, found)).toEqual(sentence);
        for (const part of [found.prefix, found.textStart, found.textEnd, found.suffix]) expect(part ?? '').not.toMatch(/\n/);
      }
    }
    // Most sentences get a link to their words (the others link to the page).
    expect(linked / total).toBeGreaterThan(0.9);
  });
});
