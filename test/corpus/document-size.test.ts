import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { runScript } from '../support/cli-process.js';
import { copyOfSeeds, tempDir } from '../support/helpers.js';

describe('documents over the size limit', () => {
  it('are skipped with a reason naming the limit (5,000,000 bytes by default); the others load', () => {
    const dir = tempDir('big-corpus-');
    writeFileSync(path.join(dir, 'big.txt'), `Big\n\n${'All work and no play. '.repeat(230_000)}`);
    writeFileSync(path.join(dir, 'small.txt'), 'Small\n\nA short article.');
    const corpus = loadCorpus(dir);
    expect(corpus.documents.map((doc) => doc.id)).toEqual(['small']);
    expect(corpus.skipped).toEqual([{ file: 'big.txt', reason: '5060005 bytes, over the limit of 5000000 (MAX_DOCUMENT_BYTES)' }]);
    expect(loadCorpus(dir, { maxDocumentBytes: 10 }).skipped.map((s) => s.file)).toEqual(['big.txt', 'small.txt']);
  });

  it('MAX_DOCUMENT_BYTES reaches ingest, which names the skipped file in a warning', () => {
    const { status, stderr } = runScript('src/cli/ingest.ts', ['--corpus', copyOfSeeds(), '--index', tempDir('size-index-')], {
      MAX_DOCUMENT_BYTES: '3000',
    });
    expect(status, stderr).toBe(0);
    expect(stderr).toContain('warning: skipped 001_ae8a7436e91a9c39.txt: 3079 bytes, over the limit of 3000 (MAX_DOCUMENT_BYTES)');
    expect(stderr).toMatch(/indexed 4 documents/);
  });
});
