import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { DocumentChangedError } from '../../src/corpus/document-file.js';
import { copyOfSeeds, tempDir } from '../support/helpers.js';

const SEED = '002_fd5b7e87bdf5c1a2';

function setup() {
  const corpusDir = copyOfSeeds();
  const cache = path.join(tempDir('cache-'), 'corpus-cache.json');
  return { corpusDir, cache };
}

describe('the corpus cache', () => {
  it('gives the same documents as reading every file, and is used while a file’s stat does not move', () => {
    const { corpusDir, cache } = setup();
    const read = loadCorpus(corpusDir);
    const first = loadCorpus(corpusDir, { cache });
    first.saveCache!();
    const fields = (docs: typeof read.documents) =>
      docs.map(({ id, title, publisher, author, date, url, sha256, bodyStart, text }) => ({
        id,
        title,
        publisher,
        author,
        date,
        url,
        sha256,
        bodyStart,
        text,
      }));
    expect(fields(first.documents)).toEqual(fields(read.documents));

    // Proof that an unchanged file is taken from the cache, not read: an entry edited in the cache shows.
    const json = JSON.parse(readFileSync(cache, 'utf8'));
    json.files[`${SEED}.txt`].document.title = 'Title from the cache';
    writeFileSync(cache, JSON.stringify(json));
    expect(loadCorpus(corpusDir, { cache }).documents.find((doc) => doc.id === SEED)!.title).toBe('Title from the cache');

    // A write to the file moves its stat: it is read again.
    appendFileSync(path.join(corpusDir, `${SEED}.txt`), '\n\nOne more line.');
    const after = loadCorpus(corpusDir, { cache }).documents.find((doc) => doc.id === SEED)!;
    expect(after.title).toBe(read.documents.find((doc) => doc.id === SEED)!.title);
    expect(after.text.endsWith('One more line.')).toBe(true);
  });

  it('is ignored when damaged or written by another parser version, and written only when the caller saves it', () => {
    const { corpusDir, cache } = setup();
    writeFileSync(cache, '{"version": 1, "files": {"x.txt": {"stat": 3}}');
    const loaded = loadCorpus(corpusDir, { cache });
    expect(loaded.documents).toHaveLength(5);
    loaded.saveCache!();
    expect(JSON.parse(readFileSync(cache, 'utf8')).files).toHaveProperty(`${SEED}.txt`); // rewritten whole

    const json = JSON.parse(readFileSync(cache, 'utf8'));
    json.files[`${SEED}.txt`].document.title = 'Stale title';
    json.version = 0;
    writeFileSync(cache, JSON.stringify(json));
    expect(loadCorpus(corpusDir, { cache }).documents.find((doc) => doc.id === SEED)!.title).not.toBe('Stale title');
    expect(JSON.parse(readFileSync(cache, 'utf8')).version).toBe(0); // written only when saved
  });

  it('written before bylines lost their job titles (parser version 1), is read again', () => {
    const { corpusDir, cache } = setup();
    writeFileSync(
      path.join(corpusDir, 'tram.txt'),
      'Tram line approved\n\nBy Tomasz Ferreira, Transport Correspondent\n\nThe council voted on Thursday.\n',
    );
    loadCorpus(corpusDir, { cache }).saveCache!();
    const json = JSON.parse(readFileSync(cache, 'utf8'));
    // What version 1 cached for this file.
    Object.assign(json, { version: 1 });
    json.files['tram.txt'].document.author = 'Tomasz Ferreira, Transport Correspondent';
    writeFileSync(cache, JSON.stringify(json));
    expect(loadCorpus(corpusDir, { cache }).documents.find((doc) => doc.id === 'tram')!.author).toBe('Tomasz Ferreira');
  });
});

describe('document texts', () => {
  it('are read from the file when asked for, and refused once the file no longer has the hash it was loaded with', () => {
    const { corpusDir } = setup();
    const file = path.join(corpusDir, `${SEED}.txt`);
    const text = readFileSync(file, 'utf8');
    const doc = loadCorpus(corpusDir).documents.find((d) => d.id === SEED)!;
    writeFileSync(file, `${text}\nChanged.`);
    expect(() => doc.text).toThrow(DocumentChangedError);
    const other = loadCorpus(corpusDir).documents.find((d) => d.id === SEED)!;
    rmSync(file);
    expect(() => other.text).toThrow(`the file of document ${SEED} changed since the corpus was read`);
    writeFileSync(file, text);
    expect(doc.text).toBe(text); // the file has its old bytes again
    writeFileSync(file, 'Something else entirely.');
    expect(doc.text).toBe(text); // a text read and checked stays quotable until the corpus is loaded again
    expect(() => loadCorpus(corpusDir).documents.find((d) => d.id === SEED)!.text).not.toThrow();
  });
});
