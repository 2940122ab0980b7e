import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fsyncPath, temporarySibling, writeFileAtomic } from '../core/atomic.js';
import { tableRows } from '../core/vectors.js';
import { chunkWithTitle } from '../text/chunker.js';
import { Bm25Builder } from './bm25.js';
import { encodeDocumentTable } from './document-table.js';
import { HNSW_PARAMS, type Hnsw, newGraph } from './graph.js';
import { FILES, FORMAT_VERSION, type IndexedDocument, type IndexSettings, MANIFEST, type Manifest, PREVIOUS_MANIFEST } from './manifest.js';
import { referenceRows, writeMoments } from './reference-moments.js';
import { bytesOf, modelWidths, sideBySide, vectorFilesOf } from './vector-file.js';
import { fingerprintFiles } from './verify.js';

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
  private readonly chunkBm25 = new Bm25Builder();
  private readonly sentenceBm25 = new Bm25Builder();
  private chunks = 0;
  /** Milliseconds spent adding chunks to the graph (the ingest's largest part past embedding, reported by the bench). */
  graphMs = 0;
  private sentences = 0;
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
    // Every model's row side by side (vector-file.ts): one read per candidate row when answering.
    const widths = modelWidths(settings);
    const tables: Array<[string, (r: DocumentRows) => Float32Array]> = [
      [FILES.chunkVectors, (r) => sideBySide([r.chunkVectors, ...r.rerankVectors], widths, r.doc.chunks.length)],
      [FILES.sentenceVectors, (r) => sideBySide([r.sentenceVectors, ...r.rerankSentenceVectors], widths, r.doc.sentences.length)],
    ];
    this.files = tables.map(([name, rows]) => ({ name, fd: openSync(path.join(this.tempDir, name), 'w'), rows }));
    this.hnsw = newGraph(settings.dimension, chunkCount);
  }

  /** Append one document's rows (documents are laid out in the order they are added); `text` is the document's text, for BM25. */
  add(docId: string, rows: DocumentRows, text: string): void {
    this.documents.set(docId, rows.doc);
    for (const chunk of rows.doc.chunks) this.chunkBm25.add(chunkWithTitle(rows.doc.title, text.slice(chunk.start, chunk.end)));
    for (const sentence of rows.doc.sentences) this.sentenceBm25.add(text.slice(sentence.start, sentence.end));
    this.sentences += rows.doc.sentences.length;
    for (const file of this.files) writeSync(file.fd, bytesOf(file.rows(rows)));
    const started = performance.now();
    for (let chunk = 0; chunk < rows.doc.chunks.length; chunk++) {
      this.hnsw.addPoint(Array.from(tableRows(rows.chunkVectors, this.settings.dimension, chunk, 1)), this.chunks++);
    }
    this.graphMs += performance.now() - started;
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
        writeMoments(
          path.join(this.tempDir, FILES.referenceMoments),
          vectorFilesOf(this.tempDir, this.settings, this.chunks, this.sentences),
        );
      }
      writeFileAtomic(path.join(this.tempDir, FILES.table), encodeDocumentTable(this.documents));
      for (const [[header, data], builder] of [
        [FILES.chunkBm25, this.chunkBm25],
        [FILES.sentenceBm25, this.sentenceBm25],
      ] as const) {
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
      counts: { documents: this.documents.size, chunks: this.chunks, sentences: this.sentences },
      files,
    };
    if (this.previous) writeFileAtomic(path.join(this.indexDir, PREVIOUS_MANIFEST), JSON.stringify(this.previous, null, 2));
    else rmSync(path.join(this.indexDir, PREVIOUS_MANIFEST), { force: true });
    writeFileAtomic(path.join(this.indexDir, MANIFEST), JSON.stringify(manifest, null, 2));
    removeOtherGenerations(
      this.indexDir,
      [this.generation, this.previous?.generation].filter((g): g is string => g !== undefined),
    );
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
