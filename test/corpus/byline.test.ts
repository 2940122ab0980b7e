import { describe, expect, it } from 'vitest';
import { bylineAuthors } from '../../src/corpus/byline.js';
import { extractMetadata } from '../../src/corpus/metadata.js';

describe('bylineAuthors', () => {
  it.each([
    ['Tomasz Ferreira, Transport Correspondent', 'Tomasz Ferreira'],
    ['María Josefina Arce', 'María Josefina Arce'],
    ['Ana Ruiz and Tom Lee, Staff Writers', 'Ana Ruiz, Tom Lee'],
    ['Ana Ruiz, Tom Lee & Sam Poe', 'Ana Ruiz, Tom Lee, Sam Poe'],
    ['Priya Halvorsen in Tromsø', 'Priya Halvorsen'],
    ['Jane Doe | The Daily Test', 'Jane Doe'],
    ['Jane Doe - BBC News', 'Jane Doe'],
    ['Ana de la Cruz, Senior Political Reporter', 'Ana de la Cruz'],
    ["Seán O'Brien and J. R. Hartley", "Seán O'Brien, J. R. Hartley"],
    ['Omar al-Sayed, Middle East Editor', 'Omar al-Sayed'],
    ['Staff Reporter', null],
    ['Reuters', null],
    ['our Transport Correspondent', null],
  ])('%s → %s', (byline, authors) => {
    expect(bylineAuthors(byline)).toBe(authors);
  });
});

describe('a byline in an article', () => {
  it('gives the author without the job title (a comma in an author value separates people)', () => {
    const text =
      '# City council approves new tram line\n\nBy Tomasz Ferreira, Transport Correspondent\n\nThe city council voted on Thursday to build a new tram line.\n';
    expect(extractMetadata(text).author).toBe('Tomasz Ferreira');
  });
});
