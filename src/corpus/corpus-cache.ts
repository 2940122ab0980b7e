import { type BigIntStats, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic.js';
import type { ParsedDocument } from './corpus.js';

/** The cache's name in the index folder (it is derived data, like the index). */
export const CORPUS_CACHE = 'corpus-cache.bin';

/** What a corpus file gave when it was last read, minus its text. */
export interface CachedEntry {
  /** Size, modification and change times (nanoseconds) and inode: any write to the file moves one of them. */
  stat: string;
  sha256: string;
  document: Omit<ParsedDocument, 'id' | 'text'>;
  warning: string | null;
}

/** One file found under the corpus folder, and what loading it gave. */
export type CachedFile =
  | { file: string; stat: string | null; kind: 'other' }
  | { file: string; stat: string | null; kind: 'skipped'; reason: string }
  | { file: string; stat: string; kind: 'document'; entry: CachedEntry };

/** A folder the corpus walk entered (relative path, '' for the corpus folder) and its stat when it was listed. */
export interface CachedFolder {
  folder: string;
  stat: string;
}

/**
 * Bump when parsing a document gives other metadata than before (metadata.ts, front-matter.ts):
 * entries written by another version are read again from their files. 2: bylines without job titles.
 */
export const PARSER_VERSION = 2;

export function cachedEntry(
  stat: BigIntStats,
  sha256: string,
  metadata: Omit<ParsedDocument, 'text'>,
  warning: string | null,
): CachedEntry {
  const { id: _id, ...document } = metadata;
  return { stat: statKey(stat), sha256, document, warning };
}

export function statKey(stat: BigIntStats): string {
  return `${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}`;
}

/** A folder's stat key now, or null when it cannot be read. */
function folderKey(absolute: string): string | null {
  const stat = statSync(absolute, { bigint: true, throwIfNoEntry: false });
  return stat?.isDirectory() ? statKey(stat) : null;
}

/**
 * What the last full read of a corpus folder found: every file in walk order with its stat and what
 * it gave (a document's metadata and hash, or why it was skipped), and every folder with its stat.
 *
 * Used two ways. A file whose stat did not move is not read again (54,240 files: 3.5 s → 1.1 s).
 * And at an engine's start, when no folder's stat moved, no file was added, removed or renamed:
 * the corpus is taken from here without a stat per file (`foldersUnchanged`), and the engine checks
 * every file in the background (a file rewritten in place is caught then, and before that by the
 * hash its text is checked against whenever it is quoted).
 *
 * Binary, read in one piece (the JSON it replaced took 0.18 s to parse and check at 54,240 files):
 *   "QBCORP01", then uint32 parser version, folders F, files N, string bytes B; float64 the size limit
 *   uint8 × N   kind (0 other, 1 document, 2 skipped); 3 bytes of padding to 4
 *   int32 × N   the document's bodyStart (0 when none)
 *   uint32 × (2F + 10N)  the strings' lengths in UTF-16 units, 0xFFFFFFFF for null: each folder's path
 *               and stat, then each file's path, stat, sha256, title, publisher, author, date, url,
 *               sourceKey and warning (a skipped file's reason in the last)
 *   UTF-8       the strings, one after another (B bytes)
 */
export class CorpusCache {
  readonly files: CachedFile[] = [];
  folders: CachedFolder[] = [];
  /** MAX_DOCUMENT_BYTES of the read that made it: another limit skips other files. */
  maxDocumentBytes = 0;
  private readonly documents = new Map<string, CachedEntry>();

  static read(file: string): CorpusCache {
    try {
      return decode(readFileSync(file));
    } catch {
      // Missing, damaged or from another version: empty, so every file is read again and it is rewritten.
      return new CorpusCache();
    }
  }

  /** The entry of `file` if its stat is the one recorded. */
  get(file: string, stat: BigIntStats): CachedEntry | undefined {
    const entry = this.documents.get(file);
    return entry?.stat === statKey(stat) ? entry : undefined;
  }

  add(record: CachedFile): void {
    this.files.push(record);
    if (record.kind === 'document') this.documents.set(record.file, record.entry);
  }

  /**
   * True when this is a whole read of `dir` with `maxDocumentBytes` and every folder it listed still
   * has the stat it had then: a file added, removed or renamed moves its folder's modification time.
   */
  foldersUnchanged(dir: string, maxDocumentBytes: number): boolean {
    if (this.folders.length === 0 || this.maxDocumentBytes !== maxDocumentBytes) return false;
    return this.folders.every(({ folder, stat }) => folderKey(path.join(dir, folder)) === stat);
  }

  /** Same folders, files and entries (nothing worth rewriting). A document's entry is the cached object itself while its stat holds. */
  sameAs(other: CorpusCache): boolean {
    const sameFile = (a: CachedFile, b: CachedFile) =>
      a.file === b.file &&
      a.stat === b.stat &&
      a.kind === b.kind &&
      (a.kind !== 'document' || a.entry === (b as typeof a).entry) &&
      (a.kind !== 'skipped' || a.reason === (b as typeof a).reason);
    return (
      this.maxDocumentBytes === other.maxDocumentBytes &&
      this.folders.length === other.folders.length &&
      this.folders.every((f, i) => f.folder === other.folders[i]!.folder && f.stat === other.folders[i]!.stat) &&
      this.files.length === other.files.length &&
      this.files.every((record, i) => sameFile(record, other.files[i]!))
    );
  }

  write(file: string): void {
    try {
      writeFileAtomic(file, encode(this));
      const legacy = path.resolve(path.dirname(file), 'corpus-cache.json'); // the JSON cache of earlier versions
      if (legacy !== path.resolve(file)) rmSync(legacy, { force: true });
    } catch {
      // Only a cache: a folder that cannot be written (read-only, full) costs the next start its speed, nothing else.
    }
  }
}

/** The stat of a folder as the walk lists it: taken before its entries are read, so a change during the walk shows next time. */
export function cachedFolder(dir: string, folder: string): CachedFolder | null {
  const stat = folderKey(path.join(dir, folder));
  return stat === null ? null : { folder, stat };
}

const MAGIC = 'QBCORP01';
const HEADER_BYTES = 32;
const STRINGS_PER_FILE = 10;
const NULL_LENGTH = 0xffffffff;
const KINDS = ['other', 'document', 'skipped'] as const;

function encode(cache: CorpusCache): Buffer {
  const strings: Array<string | null> = [];
  for (const { folder, stat } of cache.folders) strings.push(folder, stat);
  for (const record of cache.files) {
    const doc = record.kind === 'document' ? record.entry : null;
    const meta = doc?.document;
    strings.push(record.file, record.stat, doc?.sha256 ?? null, meta?.title ?? null, meta?.publisher ?? null, meta?.author ?? null);
    strings.push(meta?.date ?? null, meta?.url ?? null, meta?.sourceKey ?? null);
    strings.push(record.kind === 'skipped' ? record.reason : (doc?.warning ?? null));
  }
  const text = Buffer.from(strings.map((s) => s ?? '').join(''), 'utf8');
  const n = cache.files.length;
  const kindBytes = Math.ceil(n / 4) * 4;
  const out = Buffer.alloc(HEADER_BYTES + kindBytes + 4 * n + 4 * strings.length + text.length);
  out.write(MAGIC, 0, 'latin1');
  [PARSER_VERSION, cache.folders.length, n, text.length].forEach((v, i) => out.writeUInt32LE(v, 8 + 4 * i));
  out.writeDoubleLE(cache.maxDocumentBytes, 24);
  cache.files.forEach((record, i) => {
    out[HEADER_BYTES + i] = KINDS.indexOf(record.kind);
    out.writeInt32LE(record.kind === 'document' ? (record.entry.document.bodyStart ?? 0) : 0, HEADER_BYTES + kindBytes + 4 * i);
  });
  let at = HEADER_BYTES + kindBytes + 4 * n;
  for (const s of strings) at = out.writeUInt32LE(s === null ? NULL_LENGTH : s.length, at);
  text.copy(out, at);
  return out;
}

function decode(bytes: Buffer): CorpusCache {
  if (bytes.toString('latin1', 0, 8) !== MAGIC || bytes.readUInt32LE(8) !== PARSER_VERSION) throw new Error('not this version');
  const [folders, n, textBytes] = [12, 16, 20].map((at) => bytes.readUInt32LE(at)) as [number, number, number];
  const kindBytes = Math.ceil(n / 4) * 4;
  const count = 2 * folders + STRINGS_PER_FILE * n;
  const lengthsAt = HEADER_BYTES + kindBytes + 4 * n;
  if (bytes.length !== lengthsAt + 4 * count + textBytes) throw new Error('truncated');
  // Copies, so that the views are aligned whatever offset the buffer has in its pool.
  const bodyStarts = new Int32Array(bytes.buffer.slice(bytes.byteOffset + HEADER_BYTES + kindBytes, bytes.byteOffset + lengthsAt));
  const lengths = new Uint32Array(bytes.buffer.slice(bytes.byteOffset + lengthsAt, bytes.byteOffset + lengthsAt + 4 * count));
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(lengthsAt + 4 * count));
  let at = 0;
  let next = 0;
  const string = (): string | null => {
    const length = lengths[next++]!;
    if (length === NULL_LENGTH) return null;
    at += length;
    if (at > text.length) throw new Error('truncated');
    return text.slice(at - length, at);
  };
  const cache = new CorpusCache();
  cache.maxDocumentBytes = bytes.readDoubleLE(24);
  for (let f = 0; f < folders; f++) cache.folders.push({ folder: string()!, stat: string()! });
  for (let i = 0; i < n; i++) {
    const file = string();
    const stat = string();
    const sha256 = string();
    const [title, publisher, author, date, url, sourceKey, last] = [string(), string(), string(), string(), string(), string(), string()];
    const kind = KINDS[bytes[HEADER_BYTES + i]!];
    if (file === null || kind === undefined) throw new Error('damaged');
    if (kind === 'other') cache.add({ file, stat, kind });
    else if (kind === 'skipped') cache.add({ file, stat, kind, reason: last ?? '' });
    else {
      if (stat === null || sha256 === null || title === null) throw new Error('damaged');
      const document = { title, publisher, author, date, url, bodyStart: bodyStarts[i]!, sourceKey };
      cache.add({ file, stat, kind, entry: { stat, sha256, document, warning: last } });
    }
  }
  if (at !== text.length) throw new Error('damaged');
  return cache;
}
