import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { readFrontMatter } from '../../src/corpus/front-matter.js';
import { proseSentences } from '../../src/text/prose.js';
import { splitSentences } from '../../src/text/sentences.js';
import { tempDir } from '../support/helpers.js';

const BODY =
  '# Harbour bridge reopens\n\nThe harbour bridge reopened to traffic on Monday after eight months of repairs.\n\nEngineers said the new deck should last for fifty years.\n';

function corpusWith(files: Record<string, string>) {
  const dir = tempDir('front-matter-');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return loadCorpus(dir);
}

describe('readFrontMatter', () => {
  it('reads title, publisher, author, date and url, and where the body starts', () => {
    const block =
      '---\ntitle: "Bridge: reopened"\npublisher: Harbour Gazette\nauthor: [Ana Ruiz, Tom Lee]\ndate: 2024-03-04T09:30:00+01:00\nurl: https://gazette.example/bridge\ntags: [city]\n---\n';
    const result = readFrontMatter(block + BODY);
    expect(result).toEqual({
      bodyStart: block.length,
      meta: {
        title: 'Bridge: reopened',
        publisher: 'Harbour Gazette',
        author: 'Ana Ruiz, Tom Lee',
        date: '2024-03-04',
        url: 'https://gazette.example/bridge',
      },
      sourceKey: null,
      origin: null,
      warning: null,
    });
  });

  it('accepts a byte-order mark, CRLF line endings, a "..." closing line and an empty block', () => {
    const crlf = '\uFEFF---\r\ntitle: Windows file\r\n...\r\nBody.';
    expect(readFrontMatter(crlf)).toMatchObject({ bodyStart: crlf.indexOf('Body'), meta: { title: 'Windows file' }, warning: null });
    expect(readFrontMatter('---\n---\nBody.')).toEqual({ bodyStart: 8, meta: {}, sourceKey: null, origin: null, warning: null });
  });

  it('is absent unless the file starts with "---"', () => {
    expect(readFrontMatter('Title\n---\ntitle: no\n---\n').bodyStart).toBe(0);
    expect(readFrontMatter(' ---\ntitle: x\n---\n').bodyStart).toBe(0);
  });

  it('names a malformed block and ignores it, keeping offsets past it', () => {
    const broken = '---\ntitle: [unclosed\n---\nBody.';
    expect(readFrontMatter(broken)).toMatchObject({ bodyStart: broken.indexOf('Body'), meta: {} });
    expect(readFrontMatter(broken).warning).toMatch(/^front matter ignored: invalid YAML \(.+\)$/);
    expect(readFrontMatter('---\n- a list\n---\nBody.').warning).toBe('front matter ignored: it is not a list of "field: value" lines');
    expect(readFrontMatter('---\ntitle: x\n---\n').warning).toBeNull();
    expect(readFrontMatter('---\ntitle: never closed\nBody.')).toEqual({
      bodyStart: 0,
      meta: {},
      sourceKey: null,
      origin: null,
      warning: 'front matter ignored: no closing "---" line',
    });
    expect(readFrontMatter('---\ntitle: a\ntitle: b\n---\n').warning).toMatch(/unique/);
  });

  it('drops only the fields that are wrong, naming each', () => {
    const result = readFrontMatter('---\ntitle: Fine\ndate: 2024-02-30\nurl: javascript:alert(1)\nauthor: ""\n---\nBody.');
    expect(result.meta).toEqual({ title: 'Fine' });
    expect(result.warning).toBe(
      'front matter fields ignored: date: "2024-02-30" is not a date (use YYYY-MM-DD); url: must be an http(s) URL',
    );
  });
});

describe('front matter in the corpus', () => {
  it('gives the metadata, and its lines are never quotable', () => {
    const text = `---\ntitle: Harbour bridge reopens after repairs\npublisher: Harbour Gazette\ndate: 2024-03-04\nurl: https://gazette.example/bridge\nsummary: The bridge reopened on Monday after eight months of repairs to its deck.\n---\n${BODY}`;
    const corpus = corpusWith({ 'bridge.md': text });
    const doc = corpus.documents[0]!;
    expect(doc).toMatchObject({
      id: 'bridge',
      title: 'Harbour bridge reopens after repairs',
      publisher: 'Harbour Gazette',
      author: null,
      date: '2024-03-04',
      url: 'https://gazette.example/bridge',
    });
    expect(doc.text).toBe(text);
    expect(doc.bodyStart).toBe(text.indexOf('# Harbour'));
    const quotable = proseSentences(doc.text, splitSentences(doc.text), doc.title).filter((s) => s.start >= doc.bodyStart!);
    expect(quotable.map((s) => doc.text.slice(s.start, s.end))).toEqual([
      'The harbour bridge reopened to traffic on Monday after eight months of repairs.',
      'Engineers said the new deck should last for fifty years.',
    ]);
  });

  it('falls back to what the text tells for fields the block leaves out or gets wrong, with a named warning', () => {
    const corpus = corpusWith({ 'bridge.md': `---\ndate: someday\npublisher: Harbour Gazette\n---\n${BODY}` });
    expect(corpus.documents[0]).toMatchObject({ title: 'Harbour bridge reopens', publisher: 'Harbour Gazette', date: null });
    expect(corpus.warnings).toEqual([
      { file: 'bridge.md', message: 'front matter fields ignored: date: "someday" is not a date (use YYYY-MM-DD)' },
    ]);
  });

  it('loads a file whose block is broken with what its text tells', () => {
    const corpus = corpusWith({ 'bridge.md': `---\ntitle: "unterminated\n---\n${BODY}` });
    expect(corpus.documents[0]).toMatchObject({ id: 'bridge', title: 'Harbour bridge reopens' });
    expect(corpus.warnings?.[0]?.message).toMatch(/^front matter ignored: invalid YAML/);
  });

  it('skips a file that is only front matter, and reads .txt files as plain text', () => {
    const corpus = corpusWith({
      'only.md': '---\ntitle: Nothing else\n---\n\n',
      'plain.txt': `---\ntitle: Not front matter\n---\n${BODY}`,
    });
    expect(corpus.skipped).toEqual([{ file: 'only.md', reason: 'no text after the front matter' }]);
    expect(corpus.documents[0]).toMatchObject({ id: 'plain', bodyStart: 0 });
  });

  describe('front matter URLs with credentials', () => {
    it("are ignored with a warning, never shown as the article's link", () => {
      const result = readFrontMatter(`---\ntitle: Bridge\nurl: https://user:secret@gazette.example/bridge\n---\n${BODY}`);
      expect(result.meta).toEqual({ title: 'Bridge' });
      expect(result.warning).toBe('front matter fields ignored: url: must not carry a user name or password');
    });
  });
});
