import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/corpus.js';
import type { ImportedArticle } from '../../src/import/article.js';
import { canonicalUrlKey, slugify } from '../../src/import/slug.js';
import { CorpusWriter, renderMarkdown } from '../../src/import/write.js';
import { tempDir } from '../helpers.js';

const article = (fields: Partial<ImportedArticle> = {}): ImportedArticle => ({
  title: 'Harbour bridge: reopened "at last"',
  publisher: 'Harbour Gazette',
  author: 'Ana Ruiz',
  date: '2024-03-04',
  url: 'https://gazette.example/bridge',
  paragraphs: ['The bridge reopened on Monday after eight months of repairs.', 'Engineers replaced the deck.'],
  sourceKey: null,
  ...fields,
});

describe('slugs and identity', () => {
  it('makes short ASCII slugs cut at a word', () => {
    expect(slugify('Côte d’Ivoire: 5 things to know!')).toBe('cote-d-ivoire-5-things-to-know');
    expect(slugify('???')).toBe('article');
    const long = slugify('A very long headline about the harbour bridge that reopened after eight months of repairs');
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long.endsWith('-')).toBe(false);
  });

  it('identifies an article by its URL without tracking parameters, fragment or scheme', () => {
    expect(canonicalUrlKey('https://Gazette.example/bridge/?utm_source=rss#top')).toBe(canonicalUrlKey('http://gazette.example/bridge'));
    expect(canonicalUrlKey('https://gazette.example/a?id=1')).not.toBe(canonicalUrlKey('https://gazette.example/a?id=2'));
    expect(canonicalUrlKey('mailto:x@y')).toBeNull();
  });
});

describe('CorpusWriter', () => {
  it('renders front matter the corpus loader reads back, with the title as a heading', () => {
    const dir = tempDir('write-');
    const written = new CorpusWriter(dir).write(article());
    expect(written).toEqual({ status: 'imported', file: 'harbour-bridge-reopened-at-last.md' });
    const text = readFileSync(path.join(dir, written.file), 'utf8');
    expect(text).toBe(renderMarkdown(article()));
    expect(text.startsWith("---\ntitle: 'Harbour bridge: reopened \"at last\"'\npublisher: Harbour Gazette\n")).toBe(true);
    expect(loadCorpus(dir).documents[0]).toMatchObject({
      id: 'harbour-bridge-reopened-at-last',
      title: 'Harbour bridge: reopened "at last"',
      publisher: 'Harbour Gazette',
      author: 'Ana Ruiz',
      date: '2024-03-04',
      url: 'https://gazette.example/bridge',
    });
  });

  it('replaces an article already in the folder (same URL, even under a new title), never duplicating it', () => {
    const dir = tempDir('write-');
    new CorpusWriter(dir).write(article());
    // A new run (a new writer) finds the earlier file by the URL in its front matter.
    expect(new CorpusWriter(dir).write(article())).toEqual({ status: 'unchanged', file: 'harbour-bridge-reopened-at-last.md' });
    const updated = new CorpusWriter(dir).write(article({ title: 'Bridge reopens', url: 'https://gazette.example/bridge?utm_source=x' }));
    expect(updated).toEqual({ status: 'updated', file: 'harbour-bridge-reopened-at-last.md' });
    expect(readdirSync(dir)).toEqual(['harbour-bridge-reopened-at-last.md']);
    expect(loadCorpus(dir).documents[0]!.title).toBe('Bridge reopens');
  });

  it('gives different articles with the same title different files, and keeps a hand-written file', () => {
    const dir = tempDir('write-');
    writeFileSync(path.join(dir, 'election-results.md'), '# Election results\n\nWritten by hand.');
    const writer = new CorpusWriter(dir);
    const a = writer.write(article({ title: 'Election results', url: 'https://a.example/1' }));
    const b = writer.write(article({ title: 'Election results', url: 'https://b.example/1' }));
    expect(a.file).toMatch(/^election-results-[0-9a-f]{6}\.md$/);
    expect(b.file).toMatch(/^election-results-[0-9a-f]{6}\.md$/);
    expect(a.file).not.toBe(b.file);
    expect(readFileSync(path.join(dir, 'election-results.md'), 'utf8')).toBe('# Election results\n\nWritten by hand.');
  });

  it('identifies an article without a URL by its source key, into a subfolder', () => {
    const dir = tempDir('write-');
    const first = new CorpusWriter(dir).write(article({ url: null, sourceKey: 'jsonl:a.jsonl:1' }), 'exports/2024');
    expect(first.file).toBe('exports/2024/harbour-bridge-reopened-at-last.md');
    expect(readFileSync(path.join(dir, first.file), 'utf8')).toContain('source_key: jsonl:a.jsonl:1\n');
    const again = new CorpusWriter(dir).write(article({ url: null, sourceKey: 'jsonl:a.jsonl:1', paragraphs: ['Corrected text of the article.'] }), 'exports/2024');
    expect(again).toEqual({ status: 'updated', file: first.file });
    expect(loadCorpus(dir).documents.map((doc) => doc.id)).toEqual(['exports/2024/harbour-bridge-reopened-at-last']);
  });

  it('finds an article with neither URL nor key again by its words', () => {
    const dir = tempDir('write-');
    const bare = article({ url: null, sourceKey: null });
    expect(new CorpusWriter(dir).write(bare).status).toBe('imported');
    expect(new CorpusWriter(dir).write(bare).status).toBe('unchanged');
    expect(readdirSync(dir)).toHaveLength(1);
  });
});
