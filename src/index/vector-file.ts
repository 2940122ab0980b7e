import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { modelSpec } from '../embedding/models.js';
import { FILES, type IndexSettings, type Manifest } from './manifest.js';

/**
 * Every model's vectors of one generation, primary model first: one column per model, all columns
 * of a kind (chunks, sentences) side by side in one row of one file, so a question reads each
 * candidate's row once for every model instead of once per model (a read from disk costs 0.1–0.2 ms).
 */
export interface VectorFiles {
  chunks: VectorFile[];
  sentences: VectorFile[];
}

/** The vector files of a generation, each checked to hold exactly its rows. */
export function vectorFiles(dir: string, manifest: Manifest, chunkCount: number, sentenceCount: number): VectorFiles {
  const files = vectorFilesOf(dir, manifest.settings, chunkCount, sentenceCount);
  files.chunks[0]!.table.checkSize();
  files.sentences[0]!.table.checkSize();
  return files;
}

/** The column widths of a row: the primary model's, then each rerank model's. */
export function modelWidths(settings: IndexSettings): number[] {
  return [settings.dimension, ...settings.rerankModels.map((model) => modelSpec(model).dimension)];
}

export function vectorFilesOf(dir: string, settings: IndexSettings, chunkCount: number, sentenceCount: number): VectorFiles {
  const widths = modelWidths(settings);
  const columns = (table: RowTable) => {
    let offset = 0;
    return widths.map((width) => new VectorFile(table, (offset += width) - width, width));
  };
  return {
    chunks: columns(new RowTable(path.join(dir, FILES.chunkVectors), chunkCount, widths)),
    sentences: columns(new RowTable(path.join(dir, FILES.sentenceVectors), sentenceCount, widths)),
  };
}

/**
 * One table on disk (row-major float32, each row every model's vector side by side), read a few
 * rows at a time with positioned reads: answering a question needs the rows of its candidates, not
 * the table, so memory does not grow with the archive.
 */
export class RowTable {
  readonly width: number;

  constructor(
    readonly file: string,
    readonly rows: number,
    readonly widths: number[],
  ) {
    this.width = widths.reduce((sum, w) => sum + w, 0);
  }

  checkSize(): void {
    const bytes = statSync(this.file).size;
    if (bytes !== this.rows * this.width * 4)
      throw new Error(`${path.basename(this.file)} has ${bytes} bytes, expected ${this.rows * this.width * 4}`);
  }

  /** Whole rows as a map row → row; consecutive rows are read together. */
  read(rows: Iterable<number>): Map<number, Float32Array> {
    const out = new Map<number, Float32Array>();
    const wanted = [...new Set(rows)].sort((a, b) => a - b);
    if (wanted.length === 0) return out;
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
    const fd = openSync(this.file, 'r');
    try {
      return this.readRange(fd, first, count);
    } finally {
      closeSync(fd);
    }
  }

  private readRange(fd: number, first: number, count: number): Float32Array {
    const block = new Float32Array(count * this.width);
    const bytes = new Uint8Array(block.buffer);
    // A positioned read may return less than asked (and at most 2 GB at a time): read until the block is full.
    for (let done = 0; done < bytes.byteLength; ) {
      const got = readSync(fd, bytes, done, Math.min(bytes.byteLength - done, 2 ** 30), first * this.width * 4 + done);
      if (got === 0) throw new Error(`${path.basename(this.file)} ends before row ${first + count}`);
      done += got;
    }
    return block;
  }
}

/** One model's column of a row table. */
export class VectorFile {
  private whole: Float32Array | null = null;

  constructor(
    readonly table: RowTable,
    /** Where this model's vector starts in a row, in floats. */
    readonly offset: number,
    readonly width: number,
  ) {}

  get rows(): number {
    return this.table.rows;
  }

  /** This model's vector inside a row read from the table (a view, no copy). */
  of(row: Float32Array): Float32Array {
    return row.subarray(this.offset, this.offset + this.width);
  }

  /** The whole column, copied out of the table a block of rows at a time (once; for ingest, subsets and evaluation). */
  all(): Float32Array {
    if (this.whole) return this.whole;
    const out = new Float32Array(this.rows * this.width);
    const block = Math.max(1, Math.floor(2 ** 24 / this.table.width));
    for (let first = 0; first < this.rows; first += block) {
      const count = Math.min(block, this.rows - first);
      out.set(this.range(first, count), first * this.width);
    }
    this.whole = out;
    return out;
  }

  /** Rows as a map row → this model's vector. */
  read(rows: Iterable<number>): Map<number, Float32Array> {
    const out = new Map<number, Float32Array>();
    for (const [row, vector] of this.table.read(rows)) out.set(row, this.of(vector));
    return out;
  }

  /** This model's vectors of rows [first, first + count), packed. */
  range(first: number, count: number): Float32Array {
    if (this.whole) return this.whole.slice(first * this.width, (first + count) * this.width);
    return columnOf(this.table.range(first, count), this.table.width, this.offset, this.width);
  }
}

/** One column of a block of rows, packed. */
export function columnOf(block: Float32Array, rowWidth: number, offset: number, width: number): Float32Array {
  const count = block.length / rowWidth;
  const out = new Float32Array(count * width);
  for (let r = 0; r < count; r++) out.set(block.subarray(r * rowWidth + offset, r * rowWidth + offset + width), r * width);
  return out;
}

/** Rows side by side: row r is every table's row r in turn (each table packed with its own width). */
export function sideBySide(tables: Float32Array[], widths: number[], count: number): Float32Array {
  const rowWidth = widths.reduce((sum, w) => sum + w, 0);
  const out = new Float32Array(count * rowWidth);
  for (let r = 0; r < count; r++) {
    let at = r * rowWidth;
    tables.forEach((table, m) => {
      out.set(table.subarray(r * widths[m]!, (r + 1) * widths[m]!), at);
      at += widths[m]!;
    });
  }
  return out;
}

/** A file's bytes in a buffer of their own (Buffer pooling may give an offset that typed arrays of 4-byte words cannot view). */
export function readAligned(file: string): Uint8Array {
  const bytes = readFileSync(file);
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export function bytesOf(vectors: Float32Array): Uint8Array {
  return new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
}
