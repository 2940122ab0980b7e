import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { type CachedEntry, CorpusCache } from '../../src/corpus/corpus-cache.js';
import { DocumentChangedError } from '../../src/corpus/document-file.js';
import { corpusFingerprint } from '../../src/corpus/files.js';
import { copyOfSeeds, tempDir } from '../support/helpers.js';

const SEED = '002_fd5b7e87bdf5c1a2';

function setup() {
  const corpusDir = copyOfSeeds();
  const cache = path.join(tempDir('cache-'), 'corpus-cache.bin');
  return { corpusDir, cache };
}

/** Rewrite one cached document's metadata in the cache file (what a stale or hand-made cache would hold). */
function editCachedDocument(cache: string, file: string, change: Partial<CachedEntry['document']>) {
  const read = CorpusCache.read(cache);
  const record = read.files.find((r) => r.file === file);
  if (record?.kind !== 'document') throw new Error(`${file} is not cached as a document`);
  Object.assign(record.entry.document, change);
  read.write(cache);
}

/** Set the parser version the cache file says it was written by. */
function setVersion(cache: string, version: number) {
  const bytes = readFileSync(cache);
  bytes.writeUInt32LE(version, 8);
  writeFileSync(cache, bytes);
}

const titleOf = (corpus: { documents: Array<{ id: string; title: string }> }) => corpus.documents.find((doc) => doc.id === SEED)!.title;

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
    const fromCache = loadCorpus(corpusDir, { cache, trustFolders: true });
    expect(fields(fromCache.documents)).toEqual(fields(read.documents));
    expect(fromCache.fingerprint).toBe(read.fingerprint);

    // Proof that an unchanged file is taken from the cache, not read: an entry edited in the cache shows.
    editCachedDocument(cache, `${SEED}.txt`, { title: 'Title from the cache' });
    expect(titleOf(loadCorpus(corpusDir, { cache }))).toBe('Title from the cache');

    // A write to the file moves its stat: it is read again.
    appendFileSync(path.join(corpusDir, `${SEED}.txt`), '\n\nOne more line.');
    const after = loadCorpus(corpusDir, { cache }).documents.find((doc) => doc.id === SEED)!;
    expect(after.title).toBe(titleOf(read));
    expect(after.text.endsWith('One more line.')).toBe(true);
  });

  it('is ignored when damaged or written by another parser version, and written only when the caller saves it', () => {
    const { corpusDir, cache } = setup();
    writeFileSync(cache, 'QBCORP01 and then nothing that makes sense');
    const loaded = loadCorpus(corpusDir, { cache, trustFolders: true });
    expect(loaded.documents).toHaveLength(5);
    expect(loaded.verified).toBe(true); // read from the folder
    loaded.saveCache!();
    expect(CorpusCache.read(cache).files.map((r) => r.file)).toContain(`${SEED}.txt`); // rewritten whole

    editCachedDocument(cache, `${SEED}.txt`, { title: 'Stale title' });
    const whole = readFileSync(cache);
    writeFileSync(cache, whole.subarray(0, whole.length - 10)); // cut short
    expect(titleOf(loadCorpus(corpusDir, { cache, trustFolders: true }))).not.toBe('Stale title');

    writeFileSync(cache, whole);
    setVersion(cache, 0);
    expect(titleOf(loadCorpus(corpusDir, { cache }))).not.toBe('Stale title');
    expect(readFileSync(cache).readUInt32LE(8)).toBe(0); // written only when saved
  });

  it('written before bylines lost their job titles (parser version 1), is read again', () => {
    const { corpusDir, cache } = setup();
    writeFileSync(
      path.join(corpusDir, 'tram.txt'),
      'Tram line approved\n\nBy Tomasz Ferreira, Transport Correspondent\n\nThe council voted on Thursday.\n',
    );
    loadCorpus(corpusDir, { cache }).saveCache!();
    // What version 1 cached for this file.
    editCachedDocument(cache, 'tram.txt', { author: 'Tomasz Ferreira, Transport Correspondent' });
    setVersion(cache, 1);
    expect(loadCorpus(corpusDir, { cache }).documents.find((doc) => doc.id === 'tram')!.author).toBe('Tomasz Ferreira');
  });

  it('is trusted without a stat per file only while no folder changed, and says so', () => {
    const { corpusDir, cache } = setup();
    mkdirSync(path.join(corpusDir, 'world'));
    writeFileSync(path.join(corpusDir, 'world', 'a.txt'), 'A\n\nFirst.');
    writeFileSync(path.join(corpusDir, 'empty.txt'), '');
    const read = loadCorpus(corpusDir, { cache });
    read.saveCache!();
    const trusted = loadCorpus(corpusDir, { cache, trustFolders: true });
    expect(trusted.verified).toBe(false);
    expect(trusted.skipped).toEqual(read.skipped); // skipped files are remembered with their reasons
    expect(trusted.documents.map((doc) => doc.id)).toEqual(read.documents.map((doc) => doc.id));

    // Rewritten in place, the folder does not move: the cache is still trusted, but the text is
    // refused (its hash) and the fingerprint differs from a walk of the folder, which a check sees.
    const file = path.join(corpusDir, 'world', 'a.txt');
    writeFileSync(file, 'A\n\nFirst, rewritten.');
    const stale = loadCorpus(corpusDir, { cache, trustFolders: true });
    expect(stale.verified).toBe(false);
    expect(() => stale.documents.find((doc) => doc.id === 'world/a')!.text).toThrow(DocumentChangedError);
    expect(stale.fingerprint).not.toBe(corpusFingerprint(corpusDir));

    // A file added (or removed, or renamed) in any folder moves that folder: the folder is read.
    writeFileSync(path.join(corpusDir, 'world', 'b.txt'), 'B\n\nSecond.');
    const added = loadCorpus(corpusDir, { cache, trustFolders: true });
    expect(added.verified).toBe(true);
    expect(added.documents.map((doc) => doc.id)).toContain('world/b');
    expect(added.documents.find((doc) => doc.id === 'world/a')!.text).toContain('rewritten');
    added.saveCache!();
    rmSync(file);
    expect(loadCorpus(corpusDir, { cache, trustFolders: true }).documents.map((doc) => doc.id)).not.toContain('world/a');

    // Another size limit skips other files: the folder is read.
    loadCorpus(corpusDir, { cache }).saveCache!();
    expect(loadCorpus(corpusDir, { cache, trustFolders: true, maxDocumentBytes: 10 }).verified).toBe(true);
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
