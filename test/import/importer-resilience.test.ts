import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { importSources } from '../../src/import/importer.js';
import { tempDir } from '../support/helpers.js';
import { FIXTURES } from '../support/news-server.js';

// A page that breaks the extractor with an error of its own (as Readability's "First argument to
// Readability constructor should be a document object." did): a bug, but never the end of the run.
vi.mock('../../src/import/html.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/import/html.js')>();
  return {
    ...actual,
    articleFromHtml: (html: string, options: Parameters<typeof actual.articleFromHtml>[1]) => {
      if (html.includes('BREAKS-THE-EXTRACTOR')) throw new TypeError('extractor bug');
      return actual.articleFromHtml(html, options);
    },
  };
});

describe('importSources when a source breaks the importer', () => {
  it('reports it as internal-error and imports the others', async () => {
    const saved = tempDir('saved-broken-');
    writeFileSync(path.join(saved, 'a.html'), '<p>BREAKS-THE-EXTRACTOR</p>');
    cpSync(path.join(FIXTURES, 'wind-farm.html'), path.join(saved, 'b.html'));
    const policy = { timeoutMs: 1000, maxBytes: 1024 * 1024, allowPrivateHosts: false };
    const { entries } = await importSources({ html: [saved] }, { outDir: tempDir('import-broken-'), fetch: policy });
    expect(entries).toEqual([
      { source: path.join(saved, 'a.html'), status: 'skipped', reason: 'internal-error: extractor bug' },
      { source: path.join(saved, 'b.html'), status: 'imported', file: 'offshore-wind-farm-approved-despite-fishing-fleet-objections.md' },
    ]);
  });
});
