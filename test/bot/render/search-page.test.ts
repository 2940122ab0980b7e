import { describe, expect, it } from 'vitest';
import { SEARCH_PAGE_SIZE } from '../../../src/bot/render/paging.js';
import { renderSearchPage } from '../../../src/bot/render/search-page.js';
import { expectSafe, HOSTILE, result } from '../../support/render-fixtures.js';

describe('renderSearchPage', () => {
  const results = Array.from({ length: 23 }, (_, i) => result(i + 1, { docId: `doc-${i % 3}` }));
  const view = { key: 'key1', query: 'wheat', filters: ['publisher “tass”'], results };

  it('lists ten passages per page with Previous / page / Next buttons', () => {
    const first = renderSearchPage(view, 0);
    expect(first.embeds[0]!.description!.match(/^\*\*\d+\.\*\*/gm)).toHaveLength(SEARCH_PAGE_SIZE);
    expect(first.embeds[0]!.footer!.text).toBe('Page 1/3 · 23 passages · publisher “tass”');
    const [previous, at, next] = first.components[0]!.components;
    expect(previous).toMatchObject({ label: 'Previous', disabled: true });
    expect(at).toMatchObject({ label: '1 / 3', disabled: true });
    expect(next).toMatchObject({ label: 'Next', disabled: false, custom_id: 'search:key1:1:next' });
    expectSafe(first);

    const last = renderSearchPage(view, 2);
    expect(last.embeds[0]!.description).toMatch(/^\*\*21\.\*\*/);
    expect(last.components[0]!.components[2]).toMatchObject({ disabled: true });
    expect(last.components[0]!.components[0]).toMatchObject({ custom_id: 'search:key1:1:prev', disabled: false });
  });

  it('clamps out-of-range pages and omits buttons for a single page', () => {
    expect(renderSearchPage(view, 99).embeds[0]!.footer!.text).toMatch(/^Page 3\/3/);
    expect(renderSearchPage({ ...view, results: results.slice(0, 4) }, 0).components).toEqual([]);
    expect(renderSearchPage({ ...view, results: results.slice(0, 1) }, 0).embeds[0]!.footer!.text).toBe(
      'Page 1/1 · 1 passage · publisher “tass”',
    );
  });

  it('stays within limits with long hostile passages and URLs', () => {
    const hostile = results.map((r) => ({
      ...r,
      quote: `${HOSTILE} ${'x'.repeat(2000)}`,
      title: HOSTILE.repeat(5),
      url: `https://e.example/${'p'.repeat(3000)}`,
    }));
    expectSafe(renderSearchPage({ ...view, query: HOSTILE.repeat(20), results: hostile }, 1));
  });

  it('names the author of each passage when it is known', () => {
    const description = renderSearchPage({ ...view, results: [result(1, { author: 'Ana Ruiz' })] }, 0).embeds[0]!.description!;
    expect(description).toContain('[Article 1](https://news.example/1) · by Ana Ruiz · Prensa Latina · 2020-09-28 · `doc-1`');
  });

  it('lists a passage answered from metadata without quotation marks', () => {
    const fromMetadata = result(1, { date: '2024-05-14', quote: null, start: null, end: null, fromMetadata: 'date' });
    const description = renderSearchPage({ ...view, results: [fromMetadata, result(2)] }, 0).embeds[0]!.description!;
    expect(description).toMatch(
      /^\*\*1\.\*\* \*\*Published:\*\* 2024-05-14 \*\(from the article's metadata; its text does not state it\)\*$/m,
    );
    expect(description).toMatch(/^\*\*2\.\*\* “Quote number 2 says something\.”$/m);
  });
});
