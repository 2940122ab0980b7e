import { describe, expect, it } from 'vitest';
import { renderSource, renderSourcesPage } from '../../../src/bot/render/sources.js';
import { expectSafe, HOSTILE, liveMentions } from '../../support/render-fixtures.js';
import { corpusDocument } from '../../support/stub-engine.js';

describe('renderSourcesPage and renderSource', () => {
  const documents = Array.from({ length: 14 }, (_, i) => corpusDocument(`doc-${String(i).padStart(2, '0')}`));

  it('lists titles with publisher, date and id, ten per page', () => {
    const page = renderSourcesPage(documents, 1);
    expect(page.embeds[0]!.title).toBe('Articles I can quote (14)');
    expect(page.embeds[0]!.description!.split('\n')).toHaveLength(4);
    expect(page.embeds[0]!.description).toContain(
      '**11.** [Title of doc-10](https://news.example/doc-10) · The Daily Test · 2023-04-20 · `doc-10`',
    );
    expect(page.components[0]!.components[0]).toMatchObject({ custom_id: 'sources:all:0:prev', disabled: false });
    expectSafe(page);
  });

  it('shows one article with its opening lines, escaped', () => {
    const document = corpusDocument('doc-x', { text: `# *Headline*\n\n\n${HOSTILE}\n${'Body sentence. '.repeat(200)}`, author: null });
    const payload = renderSource(document);
    const embed = payload.embeds[0]!;
    expect(embed.description).toMatch(/^> \\# \\\*Headline\\\*\n> \n/);
    expect(liveMentions(embed.description!)).toEqual([]);
    expect(embed.fields).toContainEqual({ name: 'Author', value: '—', inline: true });
    expect(embed.fields).toContainEqual({ name: 'Document id', value: '`doc-x`', inline: false });
    expectSafe(payload);
  });
});
