/**
 * Integrity of a stored generation: the manifest records the size and sha256 of every file, and
 * loading checks them (and that the documents table agrees with the manifest) before anything is
 * used, so a flipped byte is a named IndexCorruptError instead of wrong answers or a crash.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Span } from '../text/sentences.js';
import { IndexCorruptError, type IndexedDocument, type Manifest, type SpanList } from './manifest.js';

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

/**
 * Every file of a generation has the size and sha256 the manifest records. Hashing a 100,000-chunk
 * generation (2 GB) takes seconds, so with a `stampFile` a generation that verified records each
 * file's identity (inode, size, change time) there, and a later load whose files all still match
 * skips the hashes. Any write to a file moves its change time (which, unlike the modification time,
 * no program can set back), so a file written since is hashed again; ingest always hashes.
 */
export function verifyFiles(dir: string, files: Manifest['files'], stampFile?: string): void {
  const identities = Object.fromEntries(Object.keys(files).map((name) => [name, identity(path.join(dir, name))]));
  if (stampFile && sameStamp(stampFile, dir, identities)) return;
  for (const [name, expected] of Object.entries(files)) checkFile(path.join(dir, name), expected);
  if (!stampFile) return;
  try {
    writeFileSync(stampFile, JSON.stringify({ dir: path.resolve(dir), files: identities }));
  } catch {
    // A read-only index still answers; it is hashed again at the next start.
  }
}

/**
 * One file of a generation checked as `verifyFiles` checks them all (the documents table, read
 * before the rest to compare the index with the corpus); the stamp is consulted, never written.
 */
export function verifyFile(dir: string, name: string, files: Manifest['files'], stampFile?: string): void {
  const expected = files[name];
  if (!expected) throw new IndexCorruptError(`the manifest of ${dir} does not list ${name}`);
  if (stampFile && sameStamp(stampFile, dir, { [name]: identity(path.join(dir, name)) }, false)) return;
  checkFile(path.join(dir, name), expected);
}

function checkFile(file: string, expected: Manifest['files'][string]): void {
  const size = statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new IndexCorruptError(`${file} is missing`);
  if (size !== expected.bytes) throw new IndexCorruptError(`${file} has ${size} bytes, the manifest says ${expected.bytes}`);
  if (sha256Of(file) !== expected.sha256)
    throw new IndexCorruptError(`${file} failed verification (its sha256 differs from the manifest's)`);
}

/** What changes whenever a file is replaced or written: inode, size and change time (null when missing). */
function identity(file: string): string | null {
  const stat = statSync(file, { throwIfNoEntry: false, bigint: true });
  return stat ? `${stat.ino}:${stat.size}:${stat.ctimeNs}` : null;
}

/** The stamp records these identities for `dir` (and, when `all`, no other file). */
function sameStamp(stampFile: string, dir: string, identities: Record<string, string | null>, all = true): boolean {
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { dir?: string; files?: Record<string, string> };
    if (stamp.dir !== path.resolve(dir) || !stamp.files) return false;
    const names = Object.keys(identities);
    return (
      (!all || names.length === Object.keys(stamp.files).length) &&
      names.every((name) => identities[name] !== null && stamp.files![name] === identities[name])
    );
  } catch {
    return false;
  }
}

/** The documents table agrees with the manifest's counts, and its spans are well-formed (ordered, chunks on sentence boundaries). */
export function checkTable(documents: ReadonlyMap<string, IndexedDocument>, manifest: Manifest): void {
  let chunks = 0;
  let sentences = 0;
  for (const [id, doc] of documents) {
    chunks += doc.chunks.length;
    sentences += doc.sentences.length;
    let end = 0;
    let i = 0;
    for (const s of doc.sentences) {
      if (s.end <= s.start || (i > 0 && s.start < end)) throw new Error(`document ${id}: sentence ${i} is out of order`);
      end = s.end;
      i++;
    }
    for (const c of doc.chunks) {
      const first = c.firstSentence < c.lastSentence ? doc.sentences.at(c.firstSentence) : undefined;
      const last = c.lastSentence > 0 ? doc.sentences.at(c.lastSentence - 1) : undefined;
      if (!first || !last || c.start !== first.start || c.end !== last.end)
        throw new Error(`document ${id}: a chunk is not on sentence boundaries`);
    }
  }
  const { counts } = manifest;
  if (documents.size !== counts.documents || chunks !== counts.chunks || sentences !== counts.sentences)
    throw new Error('the documents table and the manifest count different documents, chunks or sentences');
}

/**
 * Spans of a document against its text as read now: inside it, starting and ending on a word's
 * edge. A document whose spans do not fit its text must not be quoted; returns the first problem.
 */
export function spanProblem(text: string, sentences: SpanList<Span>): string | null {
  const word = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
  let i = -1;
  for (const { start, end } of sentences) {
    i++;
    if (end > text.length) return `sentence ${i} ends past the text`;
    if (/\s/.test(text[start]!) || /\s/.test(text[end - 1]!)) return `sentence ${i} starts or ends on white space`;
    if ((word(text[start - 1]) && word(text[start])) || (word(text[end - 1]) && word(text[end])))
      return `sentence ${i} starts or ends inside a word`;
  }
  return null;
}
