import { groupCopies } from '../corpus/copies.js';
import type { Span } from '../text/sentences.js';
import type { ChunkSpan, IndexedDocument, SpanList } from './manifest.js';

/**
 * The documents table of a generation in binary: every document's id, sha256, title, MinHash
 * signature and spans, the spans as uint32 columns. Loading it is a few typed-array views and one
 * small object per document: at 100,000 chunks the JSON table it replaced took 0.5 s to parse (and
 * as much again in garbage collection) and held 85 MB of span objects.
 *
 * Copies of one story are grouped here, once, when the generation is written (groupCopies over
 * 54,000 signatures took a second of every start): each document records its group's first member.
 *
 * Layout (little-endian), every uint32 column 4-byte aligned:
 *   "QBDOCS01", then uint32 documents D, chunks C, sentences S, signature bytes G, string bytes J, 0
 *   uint32 × D  chunks of each document, sentences of each document, its copy group (the table
 *               position of the group's first document; its own when it has no copies)
 *   uint32 × C  chunk start, end, first sentence, last sentence (four columns)
 *   uint32 × S  sentence start, end (two columns)
 *   bytes       sha256 (32 × D), has-signature flags (D), signatures (G × D)
 *   UTF-8 JSON  {"ids": [...], "titles": [...]} (J bytes)
 */
const MAGIC = 'QBDOCS01';
const HEADER_BYTES = 32;

/** The table as bytes, documents in the map's order (the order of the rows in the vector tables). */
export function encodeDocumentTable(documents: ReadonlyMap<string, IndexedDocument>): Buffer {
  const docs = [...documents.values()];
  const chunks = docs.reduce((sum, doc) => sum + doc.chunks.length, 0);
  const sentences = docs.reduce((sum, doc) => sum + doc.sentences.length, 0);
  const signatures = docs.map((doc) => (doc.signature ? Buffer.from(doc.signature, 'base64') : null));
  const signatureBytes = signatures.find((s) => s !== null)?.length ?? 0;
  if (signatures.some((s) => s !== null && s.length !== signatureBytes)) throw new Error('documents have signatures of different lengths');
  const strings = Buffer.from(JSON.stringify({ ids: [...documents.keys()], titles: docs.map((doc) => doc.title) }), 'utf8');
  const words = 3 * docs.length + 4 * chunks + 2 * sentences;
  const out = Buffer.alloc(HEADER_BYTES + 4 * words + docs.length * (33 + signatureBytes) + strings.length);
  out.write(MAGIC, 0, 'latin1');
  [docs.length, chunks, sentences, signatureBytes, strings.length].forEach((n, i) => out.writeUInt32LE(n, 8 + 4 * i));
  const u32 = new Uint32Array(out.buffer, out.byteOffset + HEADER_BYTES, words);
  const col = layout(docs.length, chunks);
  const position = new Map([...documents.keys()].map((id, d) => [id, d]));
  docs.forEach((_, d) => (u32[col.copyGroups + d] = d));
  for (const group of groupCopies([...documents].map(([id, doc]) => ({ id, signature: doc.signature }))))
    for (const id of group) u32[col.copyGroups + position.get(id)!] = position.get(group[0]!)!;
  let c = 0;
  let s = 0;
  docs.forEach((doc, d) => {
    u32[col.chunkCounts + d] = doc.chunks.length;
    u32[col.sentenceCounts + d] = doc.sentences.length;
    for (const chunk of doc.chunks) {
      [chunk.start, chunk.end, chunk.firstSentence, chunk.lastSentence].forEach((v, k) => (u32[col.chunks + k * chunks + c] = v));
      c++;
    }
    for (const sentence of doc.sentences) {
      u32[col.sentences + s] = sentence.start;
      u32[col.sentences + sentences + s] = sentence.end;
      s++;
    }
  });
  let at = HEADER_BYTES + 4 * words;
  for (const [id, doc] of documents) {
    if (!/^[0-9a-f]{64}$/.test(doc.sha256)) throw new Error(`document ${id} has no sha256 of 64 hex digits`);
    at += out.write(doc.sha256, at, 'hex');
  }
  signatures.forEach((signature, d) => {
    out[at + d] = signature ? 1 : 0;
    signature?.copy(out, at + docs.length + d * signatureBytes);
  });
  strings.copy(out, at + docs.length * (1 + signatureBytes));
  return out;
}

/** Where each uint32 column starts, in words after the header. */
function layout(documents: number, chunks: number) {
  return {
    chunkCounts: 0,
    sentenceCounts: documents,
    copyGroups: 2 * documents,
    chunks: 3 * documents,
    sentences: 3 * documents + 4 * chunks,
  };
}

/**
 * The inverse of `encodeDocumentTable` (`bytes` 4-byte aligned); throws on any inconsistency. The
 * spans are copied out of `bytes`, which is not kept: answering needs neither the signatures (copy
 * groups are recorded) nor the rest of the file, 19 of its 23 MB at 100,000 chunks. Only a writer
 * that copies documents into a new generation asks for `signatures`.
 */
export function decodeDocumentTable(bytes: Uint8Array, options: { signatures?: boolean } = {}): Map<string, IndexedDocument> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < HEADER_BYTES || buffer.toString('latin1', 0, 8) !== MAGIC) throw new Error('the documents table has no header');
  if (buffer.byteOffset % 4 !== 0) throw new Error('the documents table is not aligned');
  const [count, chunks, sentences, signatureBytes, stringBytes] = [0, 1, 2, 3, 4].map((i) => buffer.readUInt32LE(8 + 4 * i)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const words = 3 * count + 4 * chunks + 2 * sentences;
  const expected = HEADER_BYTES + 4 * words + count * (33 + signatureBytes) + stringBytes;
  if (buffer.length !== expected) throw new Error(`the documents table has ${buffer.length} bytes, its header says ${expected}`);
  const u32 = new Uint32Array(buffer.buffer, buffer.byteOffset + HEADER_BYTES, words);
  const col = layout(count, chunks);
  const column = (from: number, length: number) => u32.slice(from, from + length);
  const chunkColumns = [0, 1, 2, 3].map((k) => column(col.chunks + k * chunks, chunks)) as ChunkColumns;
  const sentenceColumns = [column(col.sentences, sentences), column(col.sentences + sentences, sentences)] as const;
  const bytesAt = HEADER_BYTES + 4 * words;
  const signatures = options.signatures ? { flags: bytesAt + 32 * count, at: bytesAt + 33 * count, width: signatureBytes, buffer } : null;
  const { ids, titles } = JSON.parse(buffer.toString('utf8', expected - stringBytes)) as { ids: unknown; titles: unknown };
  if (!isStrings(ids, count) || !isStrings(titles, count)) throw new Error('the documents table names another number of documents');

  const documents = new Map<string, IndexedDocument>();
  let c = 0;
  let s = 0;
  for (let d = 0; d < count; d++) {
    const chunkCount = u32[col.chunkCounts + d]!;
    const sentenceCount = u32[col.sentenceCounts + d]!;
    if (c + chunkCount > chunks || s + sentenceCount > sentences) throw new Error('the documents table counts more spans than it holds');
    const sha256 = buffer.toString('hex', bytesAt + 32 * d, bytesAt + 32 * (d + 1));
    const copyGroup = u32[col.copyGroups + d]!;
    if (copyGroup > d) throw new Error('the documents table names a copy group after its document');
    const doc = new TableDocument(
      sha256,
      titles[d]!,
      copyGroup,
      new ChunkSpans(chunkColumns, c, chunkCount),
      new SentenceSpans(sentenceColumns, s, sentenceCount),
      signatures,
      d,
    );
    documents.set(ids[d]!, doc);
    c += chunkCount;
    s += sentenceCount;
  }
  if (c !== chunks || s !== sentences || documents.size !== count) throw new Error('the documents table counts other spans than it holds');
  return documents;
}

const isStrings = (value: unknown, length: number): value is string[] =>
  Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'string');

type ChunkColumns = [start: Uint32Array, end: Uint32Array, first: Uint32Array, last: Uint32Array];

/** One document of a decoded table: its signature is turned back into text only when asked for (once, to group copies). */
class TableDocument implements IndexedDocument {
  constructor(
    readonly sha256: string,
    readonly title: string,
    readonly copyGroup: number,
    readonly chunks: ChunkSpans,
    readonly sentences: SentenceSpans,
    private readonly signatures: { flags: number; at: number; width: number; buffer: Buffer } | null,
    private readonly index: number,
  ) {}

  get signature(): string | undefined {
    if (!this.signatures) return undefined;
    const { flags, at, width, buffer } = this.signatures;
    if (buffer[flags + this.index] !== 1) return undefined;
    return buffer.toString('base64', at + this.index * width, at + (this.index + 1) * width);
  }
}

/** A document's chunks: a window of the table's chunk columns. */
class ChunkSpans implements SpanList<ChunkSpan> {
  constructor(
    private readonly columns: ChunkColumns,
    private readonly from: number,
    readonly length: number,
  ) {}

  at(i: number): ChunkSpan | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) return undefined;
    const [start, end, first, last] = this.columns;
    const row = this.from + i;
    return { start: start[row]!, end: end[row]!, firstSentence: first[row]!, lastSentence: last[row]! };
  }

  *[Symbol.iterator](): Iterator<ChunkSpan> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }
}

/** A document's sentences: a window of the table's sentence columns. */
class SentenceSpans implements SpanList<Span> {
  constructor(
    private readonly columns: readonly [start: Uint32Array, end: Uint32Array],
    private readonly from: number,
    readonly length: number,
  ) {}

  at(i: number): Span | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) return undefined;
    return { start: this.columns[0][this.from + i]!, end: this.columns[1][this.from + i]! };
  }

  *[Symbol.iterator](): Iterator<Span> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }
}
