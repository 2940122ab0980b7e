import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { Bm25Builder, Bm25Index } from '../search/bm25.js';
import { chunkWithTitle } from '../text/chunker.js';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';
import { modelSpec } from '../embedding/models.js';
import { tableRows } from '../core/vectors.js';
import type { ChunkerSettings } from '../text/chunker.js';
import type { Span } from '../text/sentences.js';
import { fsyncPath, temporarySibling, writeFileAtomic } from './atomic.js';
import { checkTable, fingerprintFiles, verifyFiles } from './verify.js';
import { referenceRows } from '../search/fusion.js';
import { momentsOf, packRows, type Moments, type ReferenceMoments } from '../search/reference-sample.js';

const { HierarchicalNSW } = hnswlib;
export type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** Bump when the on-disk layout changes: an index of another format is rebuilt, not misread. */
export const FORMAT_VERSION = 5;
// efSearch 400: the smallest of 100, 200, 300, 400, 600 with recall@10 ≥ 0.99 (0.991, 2.8 ms against 170 ms exact) for
// 200 news questions on the 100,000-chunk bench index; 200 reached 0.99 on a graph of other model-made vectors
// (`npm run bench`, index_only) but 0.97 on this one.
export const HNSW_PARAMS = { M: 16, efConstruction: 200, efSearch: 400 };

export interface IndexSettings {
  /** The model behind the HNSW graph, the sentence vectors (quoting) and the abstention threshold. */
  model: string;
  /** Further models whose chunk vectors re-score the candidates (in this order). */
  rerankModels: string[];
  dimension: number;
  chunker: ChunkerSettings;
}

/** One document's share of the index: its spans, and where its rows sit in the vector tables. */
export interface IndexedDocument {
  sha256: string;
  /** The title embedded with every chunk: a new title (say, from metadata.json) means new vectors. */
  title: string;
  /** Chunks and sentences, each with offsets into the document text. */
  chunks: Array<Span & { firstSentence: number; lastSentence: number }>;
  sentences: Span[];
  /** MinHash signature of the document's words, to find copies of one story (src/corpus/copies.ts); absent in an index written before. */
  signature?: string;
}

const manifestSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSION),
  generation: z.string().regex(/^gen-[\w-]+$/),
  createdAt: z.string(),
  settings: z.object({
    model: z.string(),
    rerankModels: z.array(z.string()),
    dimension: z.number().int().positive(),
    chunker: z.object({ version: z.number(), maxChars: z.number(), overlapSentences: z.number() }),
  }),
  hnsw: z.object({ M: z.number(), efConstruction: z.number() }),
  // One entry per document (tens of thousands): checked by `isListedDocument` in one loop, a schema takes 0.2 s per read here.
  documents: z.record(z.string(), z.custom<ListedDocument>(isListedDocument, 'not a document entry')),
  /** Size and sha256 of every file of the generation: loading verifies them before anything is read. */
  files: z.record(z.string(), z.object({ bytes: z.number().int().nonnegative(), sha256: z.string() })),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** A document as the manifest lists it. */
interface ListedDocument {
  sha256: string;
  title: string;
  chunks: number;
  sentences: number;
}

function isListedDocument(value: unknown): value is ListedDocument {
  if (typeof value !== 'object' || value === null) return false;
  const { sha256, title, chunks, sentences } = value as Record<string, unknown>;
  return typeof sha256 === 'string' && typeof title === 'string' && Number.isInteger(chunks) && Number.isInteger(sentences);
}

const isOffset = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const isSpan = (value: unknown): value is Span => typeof value === 'object' && value !== null && isOffset((value as Span).start) && isOffset((value as Span).end);

/** One entry of the documents table (checked by hand: a schema over 400,000 spans took most of a start). */
function isIndexedDocument(value: unknown): value is IndexedDocument {
  if (typeof value !== 'object' || value === null) return false;
  const { sha256, title, chunks, sentences, signature } = value as Record<string, unknown>;
  if (typeof sha256 !== 'string' || typeof title !== 'string' || !Array.isArray(chunks) || !Array.isArray(sentences)) return false;
  if (signature !== undefined && typeof signature !== 'string') return false;
  for (const sentence of sentences) if (!isSpan(sentence)) return false;
  for (const chunk of chunks) {
    const { firstSentence, lastSentence } = chunk as Record<string, unknown>;
    if (!isSpan(chunk) || !Number.isInteger(firstSentence) || !Number.isInteger(lastSentence)) return false;
  }
  return true;
}

/** An index as it sits in memory: documents in a fixed order, row-aligned vector tables, and the HNSW graph over chunks. */
export interface StoredIndex {
  manifest: Manifest;
  documents: Map<string, IndexedDocument>;
  /** Row i of the chunk table: which document and which of its chunks. */
  chunkRows: Array<{ docId: string; chunk: number }>;
  /** First row of each document in `chunkVectors` and in `sentenceVectors`. */
  chunkRowOf: Map<string, number>;
  sentenceRowOf: Map<string, number>;
  chunkVectors: Float32Array;
  sentenceVectors: Float32Array;
  /** Chunk vectors of each rerank model, row-aligned with `chunkVectors`. */
  rerankVectors: Float32Array[];
  /** Sentence vectors of each rerank model, row-aligned with `sentenceVectors`. */
  rerankSentenceVectors: Float32Array[];
  hnsw: Hnsw;
  /** The tables on disk, for reading a few rows (absent for an index held only in memory). */
  files?: VectorFiles;
  /** BM25 over chunks (under their titles) and over sentences, stored with the generation (absent: build from the texts). */
  lexical?: { chunks: Bm25Index; sentences: Bm25Index };
  /** Every model's moments over the reference samples (absent in a generation written before they were stored). */
  referenceMoments?: ReferenceMoments;
}

export class IndexCorruptError extends Error {
  override name = 'IndexCorruptError';
}

export const MANIFEST = 'manifest.json';
/** The manifest of the generation the current one replaced (verified when it was read): the fallback when the current one is damaged. */
const PREVIOUS_MANIFEST = 'previous-manifest.json';
const FILES = {
  table: 'documents.json',
  chunkVectors: 'chunk-vectors.f32',
  sentenceVectors: 'sentence-vectors.f32',
  hnsw: 'chunks.hnsw',
  chunkLexical: ['chunk-bm25.json', 'chunk-bm25.u32'],
  sentenceLexical: ['sentence-bm25.json', 'sentence-bm25.u32'],
  referenceMoments: 'reference-moments.f64',
} as const;
const rerankFile = (i: number) => `rerank-${i}-chunk-vectors.f32`;
const rerankSentenceFile = (i: number) => `rerank-${i}-sentence-vectors.f32`;

export function readManifest(indexDir: string, which: 'current' | 'previous' = 'current'): Manifest | null {
  const file = path.join(indexDir, which === 'current' ? MANIFEST : PREVIOUS_MANIFEST);
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new IndexCorruptError(`${file} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new IndexCorruptError(`${file} is not an index manifest of format ${FORMAT_VERSION}`);
  return parsed.data;
}

export function sameSettings(manifest: Manifest, settings: IndexSettings): boolean {
  return (
    manifest.settings.model === settings.model &&
    manifest.settings.rerankModels.join('\n') === settings.rerankModels.join('\n') &&
    manifest.settings.dimension === settings.dimension &&
    manifest.settings.chunker.version === settings.chunker.version &&
    manifest.settings.chunker.maxChars === settings.chunker.maxChars &&
    manifest.settings.chunker.overlapSentences === settings.chunker.overlapSentences
  );
}

/** Where a reader records the files of the generation it verified, so the next start need not hash them again (verify.ts). */
export const VERIFIED_STAMP = '.verified.json';

/** Load the index the manifest points at; any missing or inconsistent piece is an IndexCorruptError. */
export function loadIndex(indexDir: string, which: 'current' | 'previous' = 'current', options: { verified?: boolean; manifest?: Manifest } = {}): StoredIndex | null {
  // (`manifest`: the caller has just read it, say to compare it with the corpus; reading 10 MB again costs a start 0.2 s.)
  const manifest = options.manifest ?? readManifest(indexDir, which);
  if (!manifest) return null;
  const dir = path.join(indexDir, manifest.generation);
  // A damaged file is found here, before hnswlib or the tables read a byte of it. (`verified`: the
  // caller holds the write lock and has just hashed these files itself, writing or reading them.)
  if (!options.verified) verifyFiles(dir, manifest.files, path.join(indexDir, VERIFIED_STAMP));
  try {
    const documents = readTable(dir, manifest);
    const { chunkRows, chunkRowOf, sentenceRowOf, sentenceCount } = layoutRows(documents);
    const files = vectorFiles(dir, manifest, chunkRows.length, sentenceCount);
    const hnsw = new HierarchicalNSW('ip', manifest.settings.dimension);
    hnsw.readIndexSync(path.join(dir, FILES.hnsw));
    if (hnsw.getCurrentCount() !== chunkRows.length) throw new Error('graph size differs from the chunk table');
    hnsw.setEf(HNSW_PARAMS.efSearch);
    const lexical = {
      chunks: Bm25Index.fromBytes(readFileSync(path.join(dir, FILES.chunkLexical[0]), 'utf8'), readAligned(path.join(dir, FILES.chunkLexical[1]))),
      sentences: Bm25Index.fromBytes(readFileSync(path.join(dir, FILES.sentenceLexical[0]), 'utf8'), readAligned(path.join(dir, FILES.sentenceLexical[1]))),
    };
    if (lexical.chunks.size !== chunkRows.length || lexical.sentences.size !== sentenceCount) throw new Error('the lexical index differs from the tables');
    const referenceMoments = FILES.referenceMoments in manifest.files ? readMoments(path.join(dir, FILES.referenceMoments), files) : undefined;
    // Whole tables are read only by code that asks for them (ingest, subsets, evaluation); answering reads rows from `files`.
    return {
      manifest,
      documents,
      chunkRows,
      chunkRowOf,
      sentenceRowOf,
      hnsw,
      files,
      lexical,
      referenceMoments,
      get chunkVectors() {
        return files.chunks[0]!.all();
      },
      get sentenceVectors() {
        return files.sentences[0]!.all();
      },
      get rerankVectors() {
        return files.chunks.slice(1).map((f) => f.all());
      },
      get rerankSentenceVectors() {
        return files.sentences.slice(1).map((f) => f.all());
      },
    };
  } catch (error) {
    throw new IndexCorruptError(`index in ${indexDir} is unreadable (${(error as Error).message})`);
  }
}

/** Every model's vector files of one generation, primary model first. */
export interface VectorFiles {
  chunks: VectorFile[];
  sentences: VectorFile[];
}

/** The documents table of a generation, checked against its manifest. */
function readTable(dir: string, manifest: Manifest): Map<string, IndexedDocument> {
  const json: unknown = JSON.parse(readFileSync(path.join(dir, FILES.table), 'utf8'));
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('the documents table is not an object');
  const documents = new Map<string, IndexedDocument>();
  for (const [id, doc] of Object.entries(json)) {
    if (!isIndexedDocument(doc)) throw new Error(`document ${id} of the documents table is malformed`);
    documents.set(id, doc);
  }
  checkTable(documents, manifest);
  return documents;
}

/** The vector files of a generation, each checked to hold exactly its rows. */
function vectorFiles(dir: string, manifest: Manifest, chunkCount: number, sentenceCount: number): VectorFiles {
  const files = vectorFilesOf(dir, manifest.settings, chunkCount, sentenceCount);
  for (const vectors of [...files.chunks, ...files.sentences]) vectors.checkSize();
  return files;
}

function vectorFilesOf(dir: string, settings: IndexSettings, chunkCount: number, sentenceCount: number): VectorFiles {
  const widths = [settings.dimension, ...settings.rerankModels.map((model) => modelSpec(model).dimension)];
  const file = (name: string, rows: number, width: number) => new VectorFile(path.join(dir, name), rows, width);
  return {
    chunks: [file(FILES.chunkVectors, chunkCount, widths[0]!), ...widths.slice(1).map((w, i) => file(rerankFile(i), chunkCount, w))],
    sentences: [file(FILES.sentenceVectors, sentenceCount, widths[0]!), ...widths.slice(1).map((w, i) => file(rerankSentenceFile(i), sentenceCount, w))],
  };
}

/**
 * The reference samples' moments of every table (chunk tables, then sentence tables), as float64:
 * per table its sample size, its width, the mean and the covariance (see reference-sample.ts).
 */
function writeMoments(file: string, files: VectorFiles): void {
  const tables = [...files.chunks, ...files.sentences].map((table) => {
    const rows = referenceRows(table.rows);
    const vectors = table.read(rows);
    const packed = packRows(rows, (row) => vectors.get(row)!);
    return momentsOf(packed, rows.length, table.width);
  });
  const parts = tables.flatMap(({ rows, mean, covariance }) => [Float64Array.of(rows, mean.length), mean, covariance]);
  const out = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  writeFileAtomic(file, new Uint8Array(out.buffer));
}

function readMoments(file: string, files: VectorFiles): ReferenceMoments {
  const bytes = readAligned(file);
  if (bytes.byteLength % 8 !== 0) throw new Error(`${path.basename(file)} is not a table of float64`);
  const values = new Float64Array(bytes.buffer);
  let at = 0;
  const next = (width: number): Moments => {
    const [rows, stored] = [values[at]!, values[at + 1]!];
    if (stored !== width || at + 2 + width + width * width > values.length) throw new Error(`${path.basename(file)} does not match the tables`);
    const mean = values.subarray(at + 2, at + 2 + width);
    const covariance = values.subarray(at + 2 + width, at + 2 + width + width * width);
    at += 2 + width + width * width;
    return { rows, mean, covariance };
  };
  const moments = { chunks: files.chunks.map((table) => next(table.width)), sentences: files.sentences.map((table) => next(table.width)) };
  if (at !== values.length) throw new Error(`${path.basename(file)} does not match the tables`);
  return moments;
}

/**
 * One table of vectors on disk (row-major float32), read a few rows at a time with positioned
 * reads: answering a question needs the rows of its candidates, not the table, so memory does not
 * grow with the archive. The whole table is read (once) only when asked for.
 */
export class VectorFile {
  private table: Float32Array | null = null;

  constructor(
    readonly file: string,
    readonly rows: number,
    readonly width: number,
  ) {}

  checkSize(): void {
    const bytes = statSync(this.file).size;
    if (bytes !== this.rows * this.width * 4) throw new Error(`${path.basename(this.file)} has ${bytes} bytes, expected ${this.rows * this.width * 4}`);
  }

  all(): Float32Array {
    return (this.table ??= readVectors(this.file, this.rows * this.width));
  }

  /** Rows as a map row → vector; consecutive rows are read together. */
  read(rows: Iterable<number>): Map<number, Float32Array> {
    const out = new Map<number, Float32Array>();
    const wanted = [...new Set(rows)].sort((a, b) => a - b);
    if (wanted.length === 0) return out;
    if (this.table) {
      for (const row of wanted) out.set(row, this.table.subarray(row * this.width, (row + 1) * this.width));
      return out;
    }
    const fd = openSync(this.file, 'r');
    try {
      for (let i = 0; i < wanted.length; ) {
        let j = i + 1;
        while (j < wanted.length && wanted[j] === wanted[j - 1]! + 1) j++;
        const block = this.readRange(fd, wanted[i]!, j - i);
        for (let k = i; k < j; k++) out.set(wanted[k]!, block.subarray((k - i) * this.width, (k - i + 1) * this.width));
        i = j;
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }

  /** Rows [first, first + count), one read. */
  range(first: number, count: number): Float32Array {
    if (this.table) return this.table.slice(first * this.width, (first + count) * this.width);
    const fd = openSync(this.file, 'r');
    try {
      return this.readRange(fd, first, count);
    } finally {
      closeSync(fd);
    }
  }

  private readRange(fd: number, first: number, count: number): Float32Array {
    const block = new Float32Array(count * this.width);
    readSync(fd, new Uint8Array(block.buffer), 0, block.byteLength, first * this.width * 4);
    return block;
  }
}

/** A file's bytes in a buffer of their own (Buffer pooling may give an offset that typed arrays of 4-byte words cannot view). */
function readAligned(file: string): Uint8Array {
  const bytes = readFileSync(file);
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** The rows one document contributes to every vector table of a generation. */
export interface DocumentRows {
  doc: IndexedDocument;
  chunkVectors: Float32Array;
  sentenceVectors: Float32Array;
  rerankVectors: Float32Array[];
  rerankSentenceVectors: Float32Array[];
}

/**
 * Writes a complete new generation folder document by document (so memory holds one document's
 * rows at a time, not the tables), builds the HNSW graph as rows arrive, then switches the manifest
 * to it with one atomic rename. A crash at any point leaves the previous generation in force.
 */
export class GenerationWriter {
  private readonly generation = `gen-${Date.now().toString(36)}-${process.pid}`;
  private readonly tempDir: string;
  private readonly files: Array<{ name: string; fd: number; rows: (r: DocumentRows) => Float32Array }>;
  private readonly hnsw: Hnsw;
  private readonly documents = new Map<string, IndexedDocument>();
  private readonly chunkLexical = new Bm25Builder();
  private readonly sentenceLexical = new Bm25Builder();
  private chunks = 0;
  /**
   * `chunkCount`: the chunks of every document that will be added (the graph is sized once).
   * `previous`: the verified generation this one replaces (its rows were read); it stays on disk
   * until the next publish, as the fallback if this one is ever found damaged.
   */
  constructor(
    private readonly indexDir: string,
    private readonly settings: IndexSettings,
    chunkCount: number,
    private readonly previous: Manifest | null = null,
  ) {
    mkdirSync(indexDir, { recursive: true });
    this.tempDir = temporarySibling(path.join(indexDir, this.generation));
    mkdirSync(this.tempDir);
    const tables: Array<[string, (r: DocumentRows) => Float32Array]> = [
      [FILES.chunkVectors, (r) => r.chunkVectors],
      [FILES.sentenceVectors, (r) => r.sentenceVectors],
      ...settings.rerankModels.map((_, i) => [rerankFile(i), (r: DocumentRows) => r.rerankVectors[i]!] as [string, (r: DocumentRows) => Float32Array]),
      ...settings.rerankModels.map((_, i) => [rerankSentenceFile(i), (r: DocumentRows) => r.rerankSentenceVectors[i]!] as [string, (r: DocumentRows) => Float32Array]),
    ];
    this.files = tables.map(([name, rows]) => ({ name, fd: openSync(path.join(this.tempDir, name), 'w'), rows }));
    this.hnsw = new HierarchicalNSW('ip', settings.dimension);
    // Fixed seed: the same corpus always gives the same graph, so results are reproducible.
    this.hnsw.initIndex(Math.max(chunkCount, 1), HNSW_PARAMS.M, HNSW_PARAMS.efConstruction, 100);
  }

  /** Append one document's rows (documents are laid out in the order they are added); `text` is the document's text, for BM25. */
  add(docId: string, rows: DocumentRows, text: string): void {
    this.documents.set(docId, rows.doc);
    for (const chunk of rows.doc.chunks) this.chunkLexical.add(chunkWithTitle(rows.doc.title, text.slice(chunk.start, chunk.end)));
    for (const sentence of rows.doc.sentences) this.sentenceLexical.add(text.slice(sentence.start, sentence.end));
    for (const file of this.files) writeSync(file.fd, bytesOf(file.rows(rows)));
    for (let chunk = 0; chunk < rows.doc.chunks.length; chunk++) {
      this.hnsw.addPoint(Array.from(tableRows(rows.chunkVectors, this.settings.dimension, chunk, 1)), this.chunks++);
    }
  }

  /** Write the table and the graph, fingerprint everything, and publish the generation. */
  publish(): Manifest {
    let files: Manifest['files'];
    try {
      for (const file of this.files) {
        fsyncSync(file.fd);
        closeSync(file.fd);
      }
      // Moments cost a question width × width per model, scoring the sample rows × width: worth storing only for a larger sample.
      if (referenceRows(this.chunks).length > this.settings.dimension) {
        const sentenceCount = [...this.documents.values()].reduce((sum, doc) => sum + doc.sentences.length, 0);
        writeMoments(path.join(this.tempDir, FILES.referenceMoments), vectorFilesOf(this.tempDir, this.settings, this.chunks, sentenceCount));
      }
      writeFileAtomic(path.join(this.tempDir, FILES.table), JSON.stringify(Object.fromEntries(this.documents)));
      for (const [[header, data], builder] of [[FILES.chunkLexical, this.chunkLexical], [FILES.sentenceLexical, this.sentenceLexical]] as const) {
        const bytes = builder.finish().toBytes();
        writeFileAtomic(path.join(this.tempDir, header), bytes.header);
        writeFileAtomic(path.join(this.tempDir, data), bytes.data);
      }
      this.hnsw.writeIndexSync(path.join(this.tempDir, FILES.hnsw));
      fsyncPath(path.join(this.tempDir, FILES.hnsw));
      files = fingerprintFiles(this.tempDir);
      renameSync(this.tempDir, path.join(this.indexDir, this.generation));
    } catch (error) {
      this.abandon();
      throw error;
    }
    const manifest: Manifest = {
      formatVersion: FORMAT_VERSION,
      generation: this.generation,
      createdAt: new Date().toISOString(),
      settings: this.settings,
      hnsw: { M: HNSW_PARAMS.M, efConstruction: HNSW_PARAMS.efConstruction },
      documents: Object.fromEntries(
        [...this.documents].map(([id, doc]) => [id, { sha256: doc.sha256, title: doc.title, chunks: doc.chunks.length, sentences: doc.sentences.length }]),
      ),
      files,
    };
    if (this.previous) writeFileAtomic(path.join(this.indexDir, PREVIOUS_MANIFEST), JSON.stringify(this.previous, null, 2));
    else rmSync(path.join(this.indexDir, PREVIOUS_MANIFEST), { force: true });
    writeFileAtomic(path.join(this.indexDir, MANIFEST), JSON.stringify(manifest, null, 2));
    removeOtherGenerations(this.indexDir, [this.generation, this.previous?.generation].filter((g): g is string => g !== undefined));
    return manifest;
  }

  /** Remove the unfinished folder (after a failure). */
  abandon(): void {
    for (const file of this.files) {
      try {
        closeSync(file.fd);
      } catch {
        // already closed
      }
    }
    rmSync(this.tempDir, { recursive: true, force: true });
  }
}

/**
 * Rows of the generation in force, read from its files on demand (positioned reads), so that an
 * update copies unchanged documents without holding the old tables in memory. Files are verified first.
 */
export class GenerationReader {
  readonly documents: Map<string, IndexedDocument>;
  private readonly rowOf: ReturnType<typeof layoutRows>;
  private readonly files: VectorFiles;

  constructor(readonly manifest: Manifest, indexDir: string) {
    const dir = path.join(indexDir, manifest.generation);
    verifyFiles(dir, manifest.files);
    try {
      this.documents = readTable(dir, manifest);
      this.rowOf = layoutRows(this.documents);
      this.files = vectorFiles(dir, manifest, this.rowOf.chunkRows.length, this.rowOf.sentenceCount);
    } catch (error) {
      throw new IndexCorruptError(`index in ${indexDir} is unreadable (${(error as Error).message})`);
    }
  }

  rows(docId: string): DocumentRows {
    const doc = this.documents.get(docId)!;
    const chunks = (file: VectorFile) => file.range(this.rowOf.chunkRowOf.get(docId)!, doc.chunks.length);
    const sentences = (file: VectorFile) => file.range(this.rowOf.sentenceRowOf.get(docId)!, doc.sentences.length);
    return {
      doc,
      chunkVectors: chunks(this.files.chunks[0]!),
      sentenceVectors: sentences(this.files.sentences[0]!),
      rerankVectors: this.files.chunks.slice(1).map(chunks),
      rerankSentenceVectors: this.files.sentences.slice(1).map(sentences),
    };
  }
}

function bytesOf(vectors: Float32Array): Uint8Array {
  return new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
}

export function buildGraph(vectors: Float32Array, dimension: number, count: number): Hnsw {
  const hnsw = new HierarchicalNSW('ip', dimension);
  // Fixed seed: the same corpus always gives the same graph, so results are reproducible.
  hnsw.initIndex(Math.max(count, 1), HNSW_PARAMS.M, HNSW_PARAMS.efConstruction, 100);
  for (let row = 0; row < count; row++) {
    hnsw.addPoint(Array.from(tableRows(vectors, dimension, row, 1)), row);
  }
  hnsw.setEf(HNSW_PARAMS.efSearch);
  return hnsw;
}

/** Rows follow the documents' order in the map; chunk and sentence tables are laid out the same way. */
export function layoutRows(documents: Map<string, IndexedDocument>) {
  const chunkRows: StoredIndex['chunkRows'] = [];
  const chunkRowOf = new Map<string, number>();
  const sentenceRowOf = new Map<string, number>();
  let sentenceCount = 0;
  for (const [docId, doc] of documents) {
    chunkRowOf.set(docId, chunkRows.length);
    doc.chunks.forEach((_, chunk) => chunkRows.push({ docId, chunk }));
    sentenceRowOf.set(docId, sentenceCount);
    sentenceCount += doc.sentences.length;
  }
  return { chunkRows, chunkRowOf, sentenceRowOf, sentenceCount };
}

function readVectors(file: string, expectedFloats: number): Float32Array {
  const bytes = readAligned(file);
  if (bytes.byteLength !== expectedFloats * 4) throw new Error(`${path.basename(file)} has ${bytes.byteLength} bytes, expected ${expectedFloats * 4}`);
  return new Float32Array(bytes.buffer);
}

/**
 * Remove superseded generations and debris of interrupted writes. The generation this one replaces
 * stays until the next publish: a process still answering from it (it reads rows from its files)
 * keeps working until its next freshness check moves it to the new one.
 */
function removeOtherGenerations(indexDir: string, keep: string[]): void {
  for (const entry of readdirSync(indexDir)) {
    if (keep.includes(entry)) continue;
    const debris = entry.startsWith('.') && entry.includes('.tmp-'); // see temporarySibling()
    if (entry.startsWith('gen-') || debris) rmSync(path.join(indexDir, entry), { recursive: true, force: true });
  }
}

