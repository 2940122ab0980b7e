import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { copyOfSeeds, tempDir } from '../support/helpers.js';

describe('loadCorpus', () => {
  it('loads every seed with its id, text and hash', () => {
    const corpus = loadCorpus(copyOfSeeds());
    expect(corpus.documents.map((doc) => doc.id)).toEqual([
      '000_f262ba03583b067a',
      '001_ae8a7436e91a9c39',
      '002_fd5b7e87bdf5c1a2',
      '003_45658bbe9a33cf7d',
      '004_64023994e98280a4',
    ]);
    expect(corpus.skipped).toEqual([]);
    for (const doc of corpus.documents) expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('skips empty, binary and non-UTF-8 files with a reason and loads the rest', () => {
    const dir = copyOfSeeds();
    writeFileSync(path.join(dir, 'empty.txt'), '  \n');
    writeFileSync(path.join(dir, 'binary.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    writeFileSync(path.join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6c, 0xe9]));
    writeFileSync(path.join(dir, 'notes.json'), '{}');
    const corpus = loadCorpus(dir);
    expect(corpus.documents).toHaveLength(5);
    expect(corpus.skipped).toEqual([
      { file: 'binary.md', reason: 'binary (contains NUL bytes)' },
      { file: 'empty.txt', reason: 'empty' },
      { file: 'latin1.txt', reason: 'not valid UTF-8 text' },
    ]);
  });

  it('keeps a byte-order mark so offsets match readFileSync(file, "utf8")', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bom.txt'), '\uFEFFTitle line\n\nBody text here.');
    expect(loadCorpus(dir).documents[0]!.text.startsWith('\uFEFF')).toBe(true);
  });

  it('applies metadata overrides for what the text cannot tell', () => {
    const dir = copyOfSeeds();
    writeFileSync(
      path.join(dir, 'metadata.json'),
      JSON.stringify({ '003_45658bbe9a33cf7d': { publisher: 'Example Wire', date: '2023-04-20' } }),
    );
    const doc = loadCorpus(dir).documents.find((d) => d.id === '003_45658bbe9a33cf7d')!;
    expect(doc).toMatchObject({
      publisher: 'Example Wire',
      date: '2023-04-20',
      title: 'Russia steps up military cooperation with Cuba, Lavrov announces',
    });
  });

  it('rejects a malformed overrides file with one line naming the problem', () => {
    const dir = copyOfSeeds();
    writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify({ x: { date: '20 April' } }));
    expect(() => loadCorpus(dir)).toThrow(UserError);
    expect(() => loadCorpus(dir)).toThrow(/metadata\.json is malformed: x\.date: must be YYYY-MM-DD/);
  });

  it('names a missing corpus folder', () => {
    expect(() => loadCorpus('/no/such/folder')).toThrow('corpus folder not found: /no/such/folder');
  });
});
