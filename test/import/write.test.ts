import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/corpus.js';
import type { ImportedArticle } from '../../src/import/article.js';
import { canonicalUrlKey, slugify } from '../../src/import/slug.js';
import { CorpusWriter, renderMarkdown } from '../../src/import/write.js';
import { tempDir } from '../support/helpers.js';
import { importRefusal } from '../support/import-refusal.js';

const article = (fields: Partial<ImportedArticle> = {}): ImportedArticle => ({
  title: 'Harbour bridge: reopened "at last"',
  publisher: 'Harbour Gazette',
  author: 'Ana Ruiz',
  date: '2024-03-04',
  url: 'https://gazette.example/bridge',
  paragraphs: ['The bridge reopened on Monday after eight months of repairs.', 'Engineers replaced the deck.'],
  sourceKey: null,
  origin: 'https://gazette.example/bridge',
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
    expect(text.startsWith('---\ntitle: \'Harbour bridge: reopened "at last"\'\npublisher: Harbour Gazette\n')).toBe(true);
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
    const first = new CorpusWriter(dir).write(article({ url: null, sourceKey: 'jsonl:a.jsonl:1', origin: 'jsonl:a.jsonl' }), {
      folder: 'exports/2024',
    });
    expect(first.file).toBe('exports/2024/harbour-bridge-reopened-at-last.md');
    expect(readFileSync(path.join(dir, first.file), 'utf8')).toContain('source_key: jsonl:a.jsonl:1\n');
    const again = new CorpusWriter(dir).write(
      article({ url: null, sourceKey: 'jsonl:a.jsonl:1', origin: 'jsonl:a.jsonl', paragraphs: ['Corrected text of the article.'] }),
      { folder: 'exports/2024' },
    );
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

describe('CorpusWriter and origins', () => {
  it('records where an article came from, and lets only the same origin replace it', () => {
    const dir = tempDir('write-origin-');
    expect(new CorpusWriter(dir).write(article()).file).toBe('harbour-bridge-reopened-at-last.md');
    const before = readFileSync(path.join(dir, 'harbour-bridge-reopened-at-last.md'), 'utf8');
    expect(before).toContain('\norigin: https://gazette.example/bridge\n');
    // The same site (another page of it, www. or not) may update it.
    expect(new CorpusWriter(dir).write(article({ title: 'Bridge reopens', origin: 'https://www.gazette.example/print/7' })).status).toBe(
      'updated',
    );
    const updated = readFileSync(path.join(dir, 'harbour-bridge-reopened-at-last.md'), 'utf8');
    // A saved page or an export that claims the same URL may not.
    for (const origin of ['file:bridge.html#0a1b2c3d', 'jsonl:export.jsonl', 'upload:bridge.html', 'https://mirror.example/copy']) {
      expect(importRefusal(() => new CorpusWriter(dir).write(article({ title: 'Fake', origin })))).toBe(
        `other-origin: harbour-bridge-reopened-at-last.md already holds https://gazette.example/bridge, from https://www.gazette.example/print/7; this copy comes from ${origin}, so it was not written (--replace, or replace:true in /corpus add, replaces it)`,
      );
    }
    expect(readFileSync(path.join(dir, 'harbour-bridge-reopened-at-last.md'), 'utf8')).toBe(updated);
    // Unless asked to: then the report says what it replaced.
    const replaced = new CorpusWriter(dir).write(article({ title: 'Saved copy', origin: 'file:bridge.html#0a1b2c3d' }), { replace: true });
    expect(replaced).toEqual({
      status: 'updated',
      file: 'harbour-bridge-reopened-at-last.md',
      note: 'replaced the article from https://www.gazette.example/print/7 (--replace)',
    });
    expect(readdirSync(dir)).toEqual(['harbour-bridge-reopened-at-last.md']);
  });

  it('takes a file without a recorded origin as coming from the URL it names, or from its key', () => {
    const dir = tempDir('write-legacy-');
    writeFileSync(path.join(dir, 'bridge.md'), '---\ntitle: Bridge\nurl: https://gazette.example/bridge\n---\n\nThe bridge reopened.\n');
    writeFileSync(path.join(dir, 'ferry.md'), '---\ntitle: Ferry\nsource_key: jsonl:a.jsonl:1\n---\n\nFares stay.\n');
    expect(importRefusal(() => new CorpusWriter(dir).write(article({ origin: 'file:copy.html#1' })))).toMatch(
      /^other-origin: bridge\.md already holds https:\/\/gazette\.example\/bridge, from https:\/\/gazette\.example\/bridge;/,
    );
    expect(new CorpusWriter(dir).write(article({ origin: 'https://gazette.example/bridge' }))).toEqual({
      status: 'updated',
      file: 'bridge.md',
    });
    expect(new CorpusWriter(dir).write(article({ url: null, sourceKey: 'jsonl:a.jsonl:1', origin: 'jsonl:a.jsonl' }))).toEqual({
      status: 'updated',
      file: 'ferry.md',
    });
  });
});
