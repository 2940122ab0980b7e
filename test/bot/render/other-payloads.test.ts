import { describe, expect, it } from 'vitest';
import { renderHelp } from '../../../src/bot/render/help.js';
import { renderNotice } from '../../../src/bot/render/notice.js';
import { pagerRow } from '../../../src/bot/render/pager-row.js';
import { safeUrl } from '../../../src/bot/render/parts.js';
import { customIds } from '../../support/discord-limits.js';
import { expectSafe } from '../../support/render-fixtures.js';

describe('other payloads', () => {
  it('help, notices and pager rows are within limits and never ping', () => {
    expectSafe(renderHelp([{ usage: '/ask question:…', summary: 'Ask' }], [{ usage: 'Find sources', summary: 'finds' }]));
    expectSafe(renderNotice('x'.repeat(5000)));
    expect(new Set(customIds([pagerRow('search', 'k', 0, 1)])).size).toBe(3);
  });

  it('accepts only http(s) URLs and keeps them intact inside markdown links', () => {
    expect(safeUrl('https://a.example/x_(y)')).toBe('https://a.example/x_%28y%29');
    expect(safeUrl('ftp://a.example')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
    expect(safeUrl(null)).toBeUndefined();
    // Credentials would be shown as the reply's title link.
    expect(safeUrl('https://user:secret@a.example/x')).toBeUndefined();
  });
});
