/**
 * Integrity of a stored generation: the manifest records the size and sha256 of every file, and
 * loading checks them (and that the documents table agrees with the manifest) before anything is
 * used, so a flipped byte is a named IndexCorruptError instead of wrong answers or a crash.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Span } from '../text/sentences.js';
import { IndexCorruptError, type IndexedDocument, type Manifest } from './store.js';

export function fingerprintFiles(dir: string): Manifest['files'] {
  const files: Manifest['files'] = {};
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    files[name] = { bytes: statSync(file).size, sha256: sha256Of(file) };
  }
  return files;
}

/** sha256 of a file read in blocks: memory stays flat however large the vector tables grow. */
function sha256Of(file: string): string {
  const hash = createHash('sha256');
  const block = Buffer.allocUnsafe(4 << 20);
  const fd = openSync(file, 'r');
  try {
    for (let read; (read = readSync(fd, block, 0, block.length, null)) > 0; ) hash.update(block.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

export function verifyFiles(dir: string, files: Manifest['files']): void {
  for (const [name, expected] of Object.entries(files)) {
    const file = path.join(dir, name);
    const size = statSync(file, { throwIfNoEntry: false })?.size;
    if (size === undefined) throw new IndexCorruptError(`${file} is missing`);
    if (size !== expected.bytes) throw new IndexCorruptError(`${file} has ${size} bytes, the manifest says ${expected.bytes}`);
    if (sha256Of(file) !== expected.sha256) throw new IndexCorruptError(`${file} failed verification (its sha256 differs from the manifest's)`);
  }
}

/** The documents table agrees with the manifest, and its spans are well-formed (ordered, chunks on sentence boundaries). */
export function checkTable(documents: Map<string, IndexedDocument>, manifest: Manifest): void {
  if (documents.size !== Object.keys(manifest.documents).length) throw new Error('the documents table and the manifest list different documents');
  for (const [id, doc] of documents) {
    const listed = manifest.documents[id];
    if (!listed || listed.sha256 !== doc.sha256 || listed.chunks !== doc.chunks.length || listed.sentences !== doc.sentences.length) {
      throw new Error(`document ${id} differs between the table and the manifest`);
    }
    doc.sentences.forEach((s, i) => {
      if (s.end <= s.start || (i > 0 && s.start < doc.sentences[i - 1]!.end)) throw new Error(`document ${id}: sentence ${i} is out of order`);
    });
    for (const c of doc.chunks) {
      const first = doc.sentences[c.firstSentence];
      const last = doc.sentences[c.lastSentence - 1];
      if (!first || !last || c.start !== first.start || c.end !== last.end) throw new Error(`document ${id}: a chunk is not on sentence boundaries`);
    }
  }
}

/**
 * Spans of a document against its text as read now: inside it, starting and ending on a word's
 * edge. A document whose spans do not fit its text must not be quoted; returns the first problem.
 */
export function spanProblem(text: string, sentences: Span[]): string | null {
  const word = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
  for (const [i, { start, end }] of sentences.entries()) {
    if (end > text.length) return `sentence ${i} ends past the text`;
    if (/\s/.test(text[start]!) || /\s/.test(text[end - 1]!)) return `sentence ${i} starts or ends on white space`;
    if ((word(text[start - 1]) && word(text[start])) || (word(text[end - 1]) && word(text[end]))) return `sentence ${i} starts or ends inside a word`;
  }
  return null;
}
