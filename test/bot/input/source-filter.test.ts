import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choiceValue, documentChoices, findDocument } from '../../../src/bot/input/choices.js';
import { decodeFilterKey, encodeFilterKey, filterDocuments, folderChoices } from '../../../src/bot/input/source-filter.js';
import { customIds } from '../../support/discord-limits.js';
import { bodyOf, callbackFor, editFor, type Harness, messageOf, startHarness } from '../../support/harness.js';
import { corpusDocument, stubEngine } from '../../support/stub-engine.js';

const deep = `archive/${'very-long-folder-name/'.repeat(5)}an-article-with-a-long-slug`;
const documents = [
  ...Array.from({ length: 14 }, (_, i) =>
    corpusDocument(`bbc/2024/story-${String(i).padStart(2, '0')}`, { title: `BBC story ${i}`, publisher: 'BBC News' }),
  ),
  corpusDocument('bbc/2023/old', { title: 'An old BBC story', publisher: 'BBC News' }),
  corpusDocument('reuters/wire-1', { title: 'Wire story', publisher: 'Reuters' }),
  corpusDocument('top-level', { title: 'Top level story', publisher: 'Local Paper' }),
  corpusDocument(deep, { title: 'Deeply filed story', publisher: 'Archive' }),
];

describe('nested ids within Discord limits', () => {
  it('sends an id over 100 characters as a short stable value that finds the document again', () => {
    expect(deep.length).toBeGreaterThan(100);
    const [choice] = documentChoices(documents, 'deeply');
    expect(choice!.value).toBe(choiceValue(deep));
    expect(choice!.value).toMatch(/^#[0-9a-f]{16}$/);
    expect(findDocument(documents, choice!.value)?.id).toBe(deep);
    expect(documentChoices(documents, 'bbc/2024/story-01')[0]!.value).toBe('bbc/2024/story-01');
  });
});

describe('/sources filters', () => {
  it('filters by folder (with its subfolders) and by publisher', () => {
    expect(filterDocuments(documents, { folder: 'bbc' })).toHaveLength(15);
    expect(filterDocuments(documents, { folder: 'bbc/2023' }).map((d) => d.id)).toEqual(['bbc/2023/old']);
    expect(filterDocuments(documents, { folder: 'bb' })).toHaveLength(0);
    expect(filterDocuments(documents, { publisher: 'reut' }).map((d) => d.id)).toEqual(['reuters/wire-1']);
    expect(filterDocuments(documents, { folder: 'bbc', publisher: 'reuters' })).toHaveLength(0);
  });

  it('offers every folder at any depth, within 100 characters', () => {
    expect(folderChoices(documents, 'bbc').map((c) => c.value)).toEqual(['bbc', 'bbc/2023', 'bbc/2024']);
    for (const choice of folderChoices(documents, '')) expect(choice.value.length).toBeLessThanOrEqual(100);
  });

  it('carries the filter in the pager buttons, or drops the pager when it cannot fit', () => {
    const filter = { folder: 'bbc/2024', publisher: 'BBC: News' };
    expect(decodeFilterKey(encodeFilterKey(filter)!)).toEqual(filter);
    expect(encodeFilterKey({})).toBe('all');
    expect(encodeFilterKey({ folder: 'x'.repeat(80) })).toBeNull();
    expect(decodeFilterKey('garbage!')).toEqual({});
  });
});

describe('/sources against the fake Discord', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(stubEngine({ documents }));
  });
  afterAll(() => harness.close());

  it('lists one folder, pages through it keeping the filter, and autocompletes folders', async () => {
    const { token } = harness.fake.slashCommand('sources', [{ name: 'folder', value: 'bbc' }]);
    const first = bodyOf(await editFor(harness.fake, token));
    expect(first.embeds![0]!.title).toBe('Articles I can quote (15)');
    expect(first.embeds![0]!.footer?.text).toBe('Page 1/2 · folder bbc · use /source to read one');
    const ids = customIds(first.components ?? []);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(100);

    const message = harness.fake.originalMessage(token);
    const next = harness.fake.clickButton(ids.find((id) => id.endsWith(':next'))!, { message });
    const second = messageOf(await callbackFor(harness.fake, next.token));
    expect(second.embeds![0]!.footer?.text).toBe('Page 2/2 · folder bbc · use /source to read one');
    expect(second.embeds![0]!.description).toContain('An old BBC story');
    expect(second.embeds![0]!.description).not.toContain('Wire story');

    const auto = harness.fake.autocomplete('sources', [{ name: 'folder', value: '202' }], 'folder');
    expect(messageOf(await callbackFor(harness.fake, auto.token)).choices).toEqual([
      { name: 'bbc/2023', value: 'bbc/2023' },
      { name: 'bbc/2024', value: 'bbc/2024' },
    ]);
    expect(harness.fake.unhandled).toEqual([]);
  });
});
