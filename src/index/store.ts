import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';
import { modelSpec } from '../embedding/models.js';
import { tableRows } from '../core/vectors.js';
import type { ChunkerSettings } from '../text/chunker.js';
import type { Span } from '../text/sentences.js';
import { fsyncPath, temporarySibling, writeFileAtomic } from './atomic.js';
import { checkTable, fingerprintFiles, verifyFiles } from './verify.js';

const { HierarchicalNSW } = hnswlib;
export type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** Bump when the on-disk layout changes: an index of another format is rebuilt, not misread. */
export const FORMAT_VERSION = 4;
export const HNSW_PARAMS = { M: 16, efConstruction: 200, efSearch: 100 };

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
}

const spanSchema = z.object({ start: z.number().int().min(0), end: z.number().int().min(0) });
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
  documents: z.record(z.string(), z.object({ sha256: z.string(), title: z.string(), chunks: z.number().int(), sentences: z.number().int() })),
  /** Size and sha256 of every file of the generation: loading verifies them before anything is read. */
  files: z.record(z.string(), z.object({ bytes: z.number().int().nonnegative(), sha256: z.string() })),
});
export type Manifest = z.infer<typeof manifestSchema>;

const tableSchema = z.record(
  z.string(),
  z.object({
    sha256: z.string(),
    title: z.string(),
    chunks: z.array(spanSchema.extend({ firstSentence: z.number().int(), lastSentence: z.number().int() })),
    sentences: z.array(spanSchema),
  }),
);

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
}

export class IndexCorruptError extends Error {
  override name = 'IndexCorruptError';
}

const MANIFEST = 'manifest.json';
const FILES = { table: 'documents.json', chunkVectors: 'chunk-vectors.f32', sentenceVectors: 'sentence-vectors.f32', hnsw: 'chunks.hnsw' };
const rerankFile = (i: number) => `rerank-${i}-chunk-vectors.f32`;
const rerankSentenceFile = (i: number) => `rerank-${i}-sentence-vectors.f32`;

export function readManifest(indexDir: string): Manifest | null {
  const file = path.join(indexDir, MANIFEST);
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

/** Load the index the manifest points at; any missing or inconsistent piece is an IndexCorruptError. */
export function loadIndex(indexDir: string): StoredIndex | null {
  const manifest = readManifest(indexDir);
  if (!manifest) return null;
  const dir = path.join(indexDir, manifest.generation);
  // A damaged file is found here, before hnswlib or the tables read a byte of it.
  verifyFiles(dir, manifest.files);
  try {
    const table = tableSchema.parse(JSON.parse(readFileSync(path.join(dir, FILES.table), 'utf8')));
    const documents = new Map(Object.entries(table));
    const { chunkRows, chunkRowOf, sentenceRowOf, sentenceCount } = layoutRows(documents);
    const dimension = manifest.settings.dimension;
    const chunkVectors = readVectors(path.join(dir, FILES.chunkVectors), chunkRows.length * dimension);
    const sentenceVectors = readVectors(path.join(dir, FILES.sentenceVectors), sentenceCount * dimension);
    const rerankVectors = manifest.settings.rerankModels.map((model, i) => readVectors(path.join(dir, rerankFile(i)), chunkRows.length * modelSpec(model).dimension));
    const rerankSentenceVectors = manifest.settings.rerankModels.map((model, i) =>
      readVectors(path.join(dir, rerankSentenceFile(i)), sentenceCount * modelSpec(model).dimension),
    );
    const hnsw = new HierarchicalNSW('ip', dimension);
    hnsw.readIndexSync(path.join(dir, FILES.hnsw));
    if (hnsw.getCurrentCount() !== chunkRows.length) throw new Error('graph size differs from the chunk table');
    checkTable(documents, manifest);
    hnsw.setEf(HNSW_PARAMS.efSearch);
    return { manifest, documents, chunkRows, chunkRowOf, sentenceRowOf, chunkVectors, sentenceVectors, rerankVectors, rerankSentenceVectors, hnsw };
  } catch (error) {
    throw new IndexCorruptError(`index in ${indexDir} is unreadable (${(error as Error).message})`);
  }
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
  private chunks = 0;

  /** `chunkCount`: the chunks of every document that will be added (the graph is sized once). */
  constructor(
    private readonly indexDir: string,
    private readonly settings: IndexSettings,
    chunkCount: number,
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

  /** Append one document's rows (documents are laid out in the order they are added). */
  add(docId: string, rows: DocumentRows): void {
    this.documents.set(docId, rows.doc);
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
      writeFileAtomic(path.join(this.tempDir, FILES.table), JSON.stringify(Object.fromEntries(this.documents)));
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
    writeFileAtomic(path.join(this.indexDir, MANIFEST), JSON.stringify(manifest, null, 2));
    removeOtherGenerations(this.indexDir, this.generation);
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
  private readonly dir: string;

  constructor(readonly manifest: Manifest, indexDir: string) {
    this.dir = path.join(indexDir, manifest.generation);
    verifyFiles(this.dir, manifest.files);
    try {
      this.documents = new Map(Object.entries(tableSchema.parse(JSON.parse(readFileSync(path.join(this.dir, FILES.table), 'utf8')))));
      checkTable(this.documents, manifest);
    } catch (error) {
      throw new IndexCorruptError(`index in ${indexDir} is unreadable (${(error as Error).message})`);
    }
    this.rowOf = layoutRows(this.documents);
  }

  rows(docId: string): DocumentRows {
    const doc = this.documents.get(docId)!;
    const { rerankModels, dimension } = this.manifest.settings;
    const chunkRow = this.rowOf.chunkRowOf.get(docId)!;
    const sentenceRow = this.rowOf.sentenceRowOf.get(docId)!;
    const chunks = (file: string, width: number) => readRows(path.join(this.dir, file), width, chunkRow, doc.chunks.length);
    const sentences = (file: string, width: number) => readRows(path.join(this.dir, file), width, sentenceRow, doc.sentences.length);
    return {
      doc,
      chunkVectors: chunks(FILES.chunkVectors, dimension),
      sentenceVectors: sentences(FILES.sentenceVectors, dimension),
      rerankVectors: rerankModels.map((name, i) => chunks(rerankFile(i), modelSpec(name).dimension)),
      rerankSentenceVectors: rerankModels.map((name, i) => sentences(rerankSentenceFile(i), modelSpec(name).dimension)),
    };
  }
}

function readRows(file: string, width: number, first: number, count: number): Float32Array {
  const out = new Float32Array(width * count);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, new Uint8Array(out.buffer), 0, out.byteLength, first * width * 4);
  } finally {
    closeSync(fd);
  }
  return out;
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
  const bytes = readFileSync(file);
  if (bytes.byteLength !== expectedFloats * 4) throw new Error(`${path.basename(file)} has ${bytes.byteLength} bytes, expected ${expectedFloats * 4}`);
  // Copy into an aligned buffer: Buffer pooling may give an unaligned offset.
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Remove superseded generations and debris of interrupted writes. */
function removeOtherGenerations(indexDir: string, keep: string): void {
  for (const entry of readdirSync(indexDir)) {
    if (entry === keep) continue;
    const debris = entry.startsWith('.') && entry.includes('.tmp-'); // see temporarySibling()
    if (entry.startsWith('gen-') || debris) rmSync(path.join(indexDir, entry), { recursive: true, force: true });
  }
}
