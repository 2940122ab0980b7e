import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Bm25Index } from './bm25.js';
import { ChunkRows } from './chunk-rows.js';
import { decodeDocumentTable } from './document-table.js';
import type { DocumentRows } from './generation-writer.js';
import { efSearchFor, type Hnsw, newGraph } from './graph.js';
import { FILES, IndexCorruptError, type IndexedDocument, type Manifest, readManifest, VERIFIED_STAMP } from './manifest.js';
import { type ReferenceMoments, readMoments } from './reference-moments.js';
import { columnOf, readAligned, type VectorFile, type VectorFiles, vectorFiles } from './vector-file.js';
import { checkTable, verifyFile, verifyFiles } from './verify.js';

/**
 * A generation as it is read: loaded whole for answering (`loadIndex`), or row by row for an
 * update that copies unchanged documents (`GenerationReader`). Written by generation-writer.ts;
 * its manifest and files are named in manifest.ts.
 */

/** An index as it sits in memory: documents in a fixed order, row-aligned vector tables, and the HNSW graph over chunks. */
export interface StoredIndex {
  manifest: Manifest;
  documents: Map<string, IndexedDocument>;
  /** Row i of the chunk table: which document and which of its chunks. */
  chunkRows: ChunkRows;
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
  bm25?: { chunks: Bm25Index; sentences: Bm25Index };
  /** Every model's moments over the reference samples (absent in a generation written before they were stored). */
  referenceMoments?: ReferenceMoments;
}

type LoadOptions = { verified?: boolean; manifest?: Manifest; documents?: Map<string, IndexedDocument> };

/** Load the index the manifest points at; any missing or inconsistent piece is an IndexCorruptError. */
export function loadIndex(indexDir: string, which: 'current' | 'previous' = 'current', options: LoadOptions = {}): StoredIndex | null {
  const read = readGeneration(indexDir, which, options, (hnsw, file) => hnsw.readIndexSync(file));
  return read && checkGraph(read.index, indexDir);
}

/**
 * `loadIndex`, with the graph read on a thread of libuv's pool (hnswlib's `readIndex`) while this
 * thread reads the documents table, BM25 and the rest: at a million chunks the graph is 1.7 GB and
 * BM25 0.7 GB, each about a second and a half to read here.
 */
export async function loadIndexAsync(
  indexDir: string,
  which: 'current' | 'previous' = 'current',
  options: LoadOptions = {},
): Promise<StoredIndex | null> {
  const read = readGeneration(indexDir, which, options, (hnsw, file) => hnsw.readIndex(file));
  if (!read) return null;
  try {
    await read.graphRead;
  } catch (error) {
    throw new IndexCorruptError(`index in ${indexDir} is unreadable (${(error as Error).message})`);
  }
  return checkGraph(read.index, indexDir);
}

/** Every piece of a generation, the graph being read by `readGraph` (at once, or on another thread: `graphRead`). */
function readGeneration(
  indexDir: string,
  which: 'current' | 'previous',
  options: LoadOptions,
  readGraph: (hnsw: Hnsw, file: string) => unknown,
): { index: StoredIndex; graphRead: unknown } | null {
  // (`manifest`, `documents`: the caller has just read them (`readDocuments`), say to compare them with the corpus: each file is read once.)
  const manifest = options.manifest ?? readManifest(indexDir, which);
  if (!manifest) return null;
  const dir = path.join(indexDir, manifest.generation);
  // A damaged file is found here, before hnswlib or the tables read a byte of it. (`verified`: the
  // caller holds the write lock and has just hashed these files itself, writing or reading them.)
  if (!options.verified) verifyFiles(dir, manifest.files, path.join(indexDir, VERIFIED_STAMP));
  let graphRead: unknown;
  try {
    const hnsw = newGraph(manifest.settings.dimension);
    graphRead = readGraph(hnsw, path.join(dir, FILES.hnsw));
    const documents = options.documents ?? decodeTable(dir, manifest);
    const { chunkRows, chunkRowOf, sentenceRowOf, sentenceCount } = layoutRows(documents);
    const files = vectorFiles(dir, manifest, chunkRows.length, sentenceCount);
    const bm25 = readBm25(dir);
    if (bm25.chunks.size !== chunkRows.length || bm25.sentences.size !== sentenceCount)
      throw new Error('the BM25 index differs from the tables');
    const referenceMoments =
      FILES.referenceMoments in manifest.files ? readMoments(path.join(dir, FILES.referenceMoments), files) : undefined;
    // Whole tables are read only by code that asks for them (ingest, subsets, evaluation); answering reads rows from `files`.
    const index: StoredIndex = {
      manifest,
      documents,
      chunkRows,
      chunkRowOf,
      sentenceRowOf,
      hnsw,
      files,
      bm25,
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
    return { index, graphRead };
  } catch (error) {
    if (graphRead instanceof Promise) graphRead.catch(() => undefined); // the error below says what failed first
    throw new IndexCorruptError(`index in ${indexDir} is unreadable (${(error as Error).message})`);
  }
}

/** The graph as read holds one node per chunk row; searches use the efSearch for its size. */
function checkGraph(index: StoredIndex, indexDir: string): StoredIndex {
  if (index.hnsw.getCurrentCount() !== index.chunkRows.length)
    throw new IndexCorruptError(`index in ${indexDir} is unreadable (graph size differs from the chunk table)`);
  index.hnsw.setEf(efSearchFor(index.chunkRows.length));
  return index;
}

/** BM25 over chunks and over sentences, as the generation stored them. */
function readBm25(dir: string): { chunks: Bm25Index; sentences: Bm25Index } {
  return {
    chunks: Bm25Index.fromBytes(readFileSync(path.join(dir, FILES.chunkBm25[0]), 'utf8'), readAligned(path.join(dir, FILES.chunkBm25[1]))),
    sentences: Bm25Index.fromBytes(
      readFileSync(path.join(dir, FILES.sentenceBm25[0]), 'utf8'),
      readAligned(path.join(dir, FILES.sentenceBm25[1])),
    ),
  };
}

/**
 * Rows of the generation in force, read from its files on demand (positioned reads), so that an
 * update copies unchanged documents without holding the old tables in memory. Files are verified first.
 */
export class GenerationReader {
  readonly documents: Map<string, IndexedDocument>;
  private readonly rowOf: ReturnType<typeof layoutRows>;
  private readonly files: VectorFiles;

  constructor(
    readonly manifest: Manifest,
    indexDir: string,
  ) {
    const dir = path.join(indexDir, manifest.generation);
    verifyFiles(dir, manifest.files);
    try {
      // (With their signatures: the documents it copies keep them in the new generation.)
      this.documents = decodeTable(dir, manifest, { signatures: true });
      this.rowOf = layoutRows(this.documents);
      this.files = vectorFiles(dir, manifest, this.rowOf.chunkRows.length, this.rowOf.sentenceCount);
    } catch (error) {
      throw new IndexCorruptError(`index in ${indexDir} is unreadable (${(error as Error).message})`);
    }
  }

  rows(docId: string): DocumentRows {
    return documentRows(this.files, this.documents.get(docId)!, this.rowOf.chunkRowOf.get(docId)!, this.rowOf.sentenceRowOf.get(docId)!);
  }
}

/** One document's rows under every model: one positioned read of its chunk rows and one of its sentence rows, split into each model's vectors. */
export function documentRows(files: VectorFiles, doc: IndexedDocument, firstChunk: number, firstSentence: number): DocumentRows {
  const [chunkVectors, ...rerankVectors] = modelRows(files.chunks, firstChunk, doc.chunks.length);
  const [sentenceVectors, ...rerankSentenceVectors] = modelRows(files.sentences, firstSentence, doc.sentences.length);
  return { doc, chunkVectors: chunkVectors!, sentenceVectors: sentenceVectors!, rerankVectors, rerankSentenceVectors };
}

/** `count` rows of one table from `first`, in one positioned read, as each model's vectors (primary first). */
export function modelRows(columns: VectorFile[], first: number, count: number): Float32Array[] {
  const block = columns[0]!.table.range(first, count);
  return columns.map((column) => columnOf(block, column.table.width, column.offset, column.width));
}

/** Rows follow the documents' order in the map; chunk and sentence tables are laid out the same way. */
export function layoutRows(documents: Map<string, IndexedDocument>) {
  const chunkRowOf = new Map<string, number>();
  const sentenceRowOf = new Map<string, number>();
  let chunkCount = 0;
  let sentenceCount = 0;
  documents.forEach((doc, docId) => {
    chunkRowOf.set(docId, chunkCount);
    chunkCount += doc.chunks.length;
    sentenceRowOf.set(docId, sentenceCount);
    sentenceCount += doc.sentences.length;
  });
  const chunkRows = ChunkRows.of([...documents].map(([id, doc]) => [id, doc.chunks.length]));
  return { chunkRows, chunkRowOf, sentenceRowOf, sentenceCount };
}

/**
 * The documents table of the generation a manifest names, its file verified first (against the
 * stamp of the last verification when it still holds); an unreadable one is an IndexCorruptError.
 */
export function readDocuments(indexDir: string, manifest: Manifest): Map<string, IndexedDocument> {
  const dir = path.join(indexDir, manifest.generation);
  verifyFile(dir, FILES.table, manifest.files, path.join(indexDir, VERIFIED_STAMP));
  try {
    return decodeTable(dir, manifest);
  } catch (error) {
    throw new IndexCorruptError(`index in ${indexDir} is unreadable (${(error as Error).message})`);
  }
}

/** The documents table of a generation, checked against its manifest. */
function decodeTable(dir: string, manifest: Manifest, options: { signatures?: boolean } = {}): Map<string, IndexedDocument> {
  const documents = decodeDocumentTable(readAligned(path.join(dir, FILES.table)), options);
  checkTable(documents, manifest);
  return documents;
}
