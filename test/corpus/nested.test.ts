import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { corpusFingerprint } from '../../src/corpus/files.js';
import { tempDir } from '../support/helpers.js';

function write(dir: string, file: string, text: string) {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

describe('nested corpus folders', () => {
  it('finds documents in subfolders, with the relative path (and "/") in the id', () => {
    const dir = tempDir('nested-');
    write(dir, 'top.txt', 'Top story\n\nA story at the top level of the corpus.');
    write(dir, 'bbc/2024/budget-vote.md', '# Budget vote\n\nThe council voted on the budget.');
    write(dir, 'bbc/2023/old-news.txt', 'Old news\n\nSomething happened last year.');
    write(dir, 'reuters/wire.md', '# Wire\n\nA wire story.');
    write(dir, '.git/HEAD.txt', 'hidden folders are not read');
    write(dir, 'node_modules/pkg/readme.md', '# not an article');
    const corpus = loadCorpus(dir);
    expect(corpus.documents.map((doc) => doc.id)).toEqual(['bbc/2023/old-news', 'bbc/2024/budget-vote', 'reuters/wire', 'top']);
    expect(corpus.documents[1]!.path).toBe(path.join(dir, 'bbc/2024/budget-vote.md'));
  });

  it('applies metadata.json overrides by nested id, and reports clashing ids', () => {
    const dir = tempDir('nested-');
    write(dir, 'bbc/a.txt', 'A\n\nText of a.');
    write(dir, 'bbc/a.md', '# A\n\nText of a again.');
    write(dir, 'metadata.json', JSON.stringify({ 'bbc/a': { publisher: 'BBC News' } }));
    const corpus = loadCorpus(dir);
    expect(corpus.documents).toEqual([expect.objectContaining({ id: 'bbc/a', publisher: 'BBC News' })]);
    expect(corpus.skipped).toEqual([{ file: 'bbc/a.txt', reason: 'another file already has the id "bbc/a"' }]);
  });

  it('does not follow a link to a folder, so a loop cannot hang the loader', () => {
    const dir = tempDir('nested-');
    write(dir, 'news/a.txt', 'A\n\nText of a.');
    symlinkSync(dir, path.join(dir, 'news', 'loop'));
    expect(loadCorpus(dir).documents.map((doc) => doc.id)).toEqual(['news/a']);
  });

  it('changes its fingerprint when a file deep in the tree changes', () => {
    const dir = tempDir('nested-');
    write(dir, 'a/b/c.txt', 'C\n\nText.');
    const before = corpusFingerprint(dir);
    write(dir, 'a/b/d.txt', 'D\n\nText.');
    expect(corpusFingerprint(dir)).not.toBe(before);
  });

  it('fingerprints as loadCorpus saw it the same way as a walk of the folder does', () => {
    const dir = tempDir('nested-');
    write(dir, 'a/b/c.txt', 'C\n\nText.');
    write(dir, 'a/notes.json', '{}');
    write(dir, 'a/empty.md', '');
    write(dir, 'metadata.json', '{}');
    expect(loadCorpus(dir).fingerprint).toBe(corpusFingerprint(dir));
  });
});
