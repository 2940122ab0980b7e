import { describe, expect, it } from 'vitest';
import { documentChoices, findDocument, publisherChoices } from '../../../src/bot/input/choices.js';
import { corpusDocument } from '../../support/stub-engine.js';

const documents = [
  ...Array.from({ length: 40 }, (_, i) => corpusDocument(`doc-${String(i).padStart(2, '0')}`, { title: `Wheat report ${i}` })),
  corpusDocument('oil-1', { title: 'OIL talks in Havana', publisher: 'Prensa Latina' }),
  corpusDocument('long-1', { title: 'L'.repeat(300), publisher: 'P'.repeat(200), date: '2021-01-01' }),
];

describe('documentChoices', () => {
  it('offers at most 25 choices, each name within 100 characters and the id as value', () => {
    const choices = documentChoices(documents, '');
    expect(choices).toHaveLength(25);
    for (const choice of documentChoices(documents, 'l')) expect(choice.name.length).toBeLessThanOrEqual(100);
    expect(documentChoices(documents, 'LLLL')[0]).toMatchObject({ value: 'long-1' });
  });

  it('matches a case-insensitive substring of the title or id', () => {
    expect(documentChoices(documents, 'oil TALKS').map((choice) => choice.value)).toEqual(['oil-1']);
    expect(documentChoices(documents, 'DOC-39').map((choice) => choice.value)).toEqual(['doc-39']);
    expect(documentChoices(documents, 'oil')[0]!.name).toBe('OIL talks in Havana — Prensa Latina, 2023-04-20');
    expect(documentChoices(documents, 'nothing like this')).toEqual([]);
  });
});

describe('publisherChoices', () => {
  it('lists distinct matching publishers', () => {
    expect(publisherChoices(documents, 'pre')).toEqual([{ name: 'Prensa Latina', value: 'Prensa Latina' }]);
    expect(
      publisherChoices(documents, '')
        .map((choice) => choice.name.length)
        .every((n) => n <= 100),
    ).toBe(true);
  });
});

describe('findDocument', () => {
  it('accepts an id, an exact title or a distinctive part of one', () => {
    expect(findDocument(documents, 'oil-1')?.id).toBe('oil-1');
    expect(findDocument(documents, 'oil talks in havana')?.id).toBe('oil-1');
    expect(findDocument(documents, 'havana')?.id).toBe('oil-1');
    expect(findDocument(documents, 'wheat report')).toBeUndefined();
    expect(findDocument(documents, '  ')).toBeUndefined();
  });
});
