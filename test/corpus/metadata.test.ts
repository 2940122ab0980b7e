import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toIsoDate } from '../../src/core/dates.js';
import { extractMetadata } from '../../src/corpus/metadata.js';
import { SEEDS } from '../support/helpers.js';

const seed = (id: string) => extractMetadata(readFileSync(path.join(SEEDS, `${id}.txt`), 'utf8'));

describe('metadata of the five seed articles', () => {
  it('reads an agency dateline: date and publisher in parentheses', () => {
    const meta = seed('000_f262ba03583b067a');
    expect(meta).toMatchObject({ publisher: 'UrduPoint / Pakistan Point News', date: '2022-02-18', author: null, url: null });
    // No headline: the opening sentence, without the dateline, names it.
    expect(meta.title).toMatch(/^Russia's Deputy Prime Minister Yury Borisov will arrive in Cuba/);
  });

  it('reads a markdown heading, a byline and a bold sign-off', () => {
    expect(seed('001_ae8a7436e91a9c39')).toEqual({
      title: 'Deepening relations between Cuba and Russia',
      publisher: 'Radio Habana Cuba',
      author: 'María Josefina Arce',
      date: null,
      url: null,
    });
  });

  it('falls back to the first sentence when there is no headline, and invents nothing', () => {
    const meta = seed('002_fd5b7e87bdf5c1a2');
    expect(meta.title).toMatch(/^Russian President Vladimir Putin’s top ally arrived in Cuba/);
    expect(meta.title.length).toBeLessThanOrEqual(101);
    expect(meta).toMatchObject({ publisher: null, author: null, date: null, url: null });
  });

  it('takes a short first line without final punctuation as the headline', () => {
    expect(seed('003_45658bbe9a33cf7d')).toEqual({
      title: 'Russia steps up military cooperation with Cuba, Lavrov announces',
      publisher: null,
      author: null,
      date: null,
      url: null,
    });
  });

  it('reads a markdown link title, a "Source:" block with a weekday dateline and a "Source URL:" line', () => {
    expect(seed('004_64023994e98280a4')).toEqual({
      title: 'Russia and Cuba strengthen cooperation and diplomatic ties',
      publisher: 'Prensa Latina',
      author: null,
      date: '2020-09-28',
      url: 'http://www.fidelcastro.cu/en/noticia/russia-and-cuba-strengthen-cooperation-and-diplomatic-ties?width=600&height=600',
    });
  });
});

describe('the general extractor on other layouts', () => {
  it('reads labelled lines anywhere in the header or footer', () => {
    const text =
      'Title: Grain prices rise\nAuthor: Ana Ruiz\nPublisher: Daily Wire Service\n\nPrices rose again. Traders said so.\n\nURL: https://example.org/grain\n';
    expect(extractMetadata(text)).toEqual({
      title: 'Grain prices rise',
      author: 'Ana Ruiz',
      publisher: 'Daily Wire Service',
      date: null,
      url: 'https://example.org/grain',
    });
  });

  it('ignores dates and sources in the middle of a long article body', () => {
    const body = Array.from(
      { length: 20 },
      (_, i) =>
        `Paragraph ${i} of the story says that on March 3, 2019 the minister met the press. Source: a spokesman who asked not to be named.`,
    ).join('\n\n');
    const meta = extractMetadata(`Headline here\n\n${body}\n\nThe end of the story is near.`);
    expect(meta.title).toBe('Headline here');
    expect(meta.date).toBeNull();
  });

  it('accepts "## Heading" and "By" bylines, and dates written "28 September 2020"', () => {
    const meta = extractMetadata('## *A heading*\n\nBy Jo Smith\n\nHavana, 28 September 2020\n\nText of the article.');
    expect(meta).toMatchObject({ title: 'A heading', author: 'Jo Smith', date: '2020-09-28' });
  });

  it('validates calendar dates', () => {
    expect(toIsoDate('2020', 'February', '30')).toBeNull();
    expect(toIsoDate('2024', 'feb', '29')).toBe('2024-02-29');
    expect(toIsoDate('2022', '13', '01')).toBeNull();
  });

  it('takes no URL that carries a user name or password', () => {
    expect(
      extractMetadata(
        'Title: Grain prices rise\n\nPrices rose again. Traders said so.\n\nSource URL: https://user:secret@example.org/grain\n',
      ).url,
    ).toBeNull();
  });
});
