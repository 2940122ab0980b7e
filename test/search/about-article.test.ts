import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractMetadata } from '../../src/corpus/metadata.js';
import { askedField, metadataLine } from '../../src/search/about-article.js';
import { ROOT } from '../support/helpers.js';

describe('askedField', () => {
  it.each([
    ['Who wrote the Radio Habana Cuba piece?', 'author'],
    ['who is the author of the article about wheat?', 'author'],
    ['When was the article about Borisov published?', 'date'],
    ['Which outlet reported the Borisov visit?', 'publisher'],
    ['Which news agency published the story on Lavrov?', 'publisher'],
    ['How much wheat did Russia donate to Cuba?', null],
    ['Who is Russia’s ambassador to Cuba?', null],
    ['When did the United States and the Soviet Union come closest to nuclear war?', null],
  ])('%s → %s', (question, field) => {
    expect(askedField(question)).toBe(field);
  });
});

describe('metadataLine', () => {
  const seed = (prefix: string) => {
    const file = readdirSync(path.join(ROOT, 'seeds')).find((f) => f.startsWith(prefix))!;
    const text = readFileSync(path.join(ROOT, 'seeds', file), 'utf8');
    return { text, meta: { id: prefix, ...extractMetadata(text) } };
  };

  it('finds the byline and the sign-off of a seed article, as spans of its text', () => {
    const { text, meta } = seed('001');
    const byline = metadataLine(text, meta, 'author')!;
    expect(text.slice(byline.start, byline.end)).toBe('By María Josefina Arce');
    const source = metadataLine(text, meta, 'publisher')!;
    expect(text.slice(source.start, source.end)).toBe('**Radio Habana Cuba**');
  });

  it('quotes the sentence of a dateline that opens a paragraph, not the whole paragraph', () => {
    const { text, meta } = seed('000');
    const span = metadataLine(text, meta, 'publisher')!;
    const quote = text.slice(span.start, span.end);
    expect(quote).toContain('UrduPoint / Pakistan Point News');
    expect(quote.endsWith('Havana said.')).toBe(true);
    expect(text.slice(metadataLine(text, meta, 'date')!.start).startsWith(quote)).toBe(true);
  });

  it('finds a date written out in words', () => {
    const text = 'Headline here\nMonday, September 28, 2020\n\nBody sentence one is long enough.';
    const line = metadataLine(
      text,
      { id: 'x', title: 'Headline here', publisher: null, author: null, date: '2020-09-28', url: null },
      'date',
    )!;
    expect(text.slice(line.start, line.end)).toBe('Monday, September 28, 2020');
  });

  it('never finds the line in the front matter: quotes start after it', () => {
    const text =
      '---\nauthor: Priya Halvorsen\npublisher: Northern Coast Herald\ndate: 2024-05-14\n---\n\n# Lighthouse to become a museum\n\nThe tower reopens next summer.\n';
    const meta = {
      id: 'lighthouse',
      title: 'Lighthouse to become a museum',
      publisher: 'Northern Coast Herald',
      author: 'Priya Halvorsen',
      date: '2024-05-14',
      url: null,
    };
    const bodyStart = text.indexOf('\n\n# ') + 1;
    for (const field of ['author', 'publisher', 'date'] as const)
      expect(metadataLine(text, { ...meta, bodyStart }, field), field).toBeNull();
    const withByline = text.replace('The tower', 'By Priya Halvorsen\n\nThe tower');
    const byline = metadataLine(withByline, { ...meta, bodyStart }, 'author')!;
    expect(withByline.slice(byline.start, byline.end)).toBe('By Priya Halvorsen');
  });

  it('finds a byline with its job title, and one naming several authors', () => {
    const text = '# Tram line approved\n\nBy Ana Ruiz and Tomasz Ferreira, Transport Correspondents\n\nThe council voted on Thursday.\n';
    const meta = { id: 'tram', ...extractMetadata(text) };
    expect(meta.author).toBe('Ana Ruiz, Tomasz Ferreira');
    const line = metadataLine(text, meta, 'author')!;
    expect(text.slice(line.start, line.end)).toBe('By Ana Ruiz and Tomasz Ferreira, Transport Correspondents');
  });

  it('is null when the metadata is unknown or no line of the text states it', () => {
    const { text, meta } = seed('001');
    expect(metadataLine(text, { ...meta, author: null }, 'author')).toBeNull();
    expect(metadataLine(text, { ...meta, author: 'Somebody Else' }, 'author')).toBeNull();
  });
});
