import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { modelSpec } from '../embedding/models.js';
import { FILES, type IndexSettings, type Manifest, rerankFile, rerankSentenceFile } from './manifest.js';

/** Every model's vector files of one generation, primary model first. */
export interface VectorFiles {
  chunks: VectorFile[];
  sentences: VectorFile[];
}

/** The vector files of a generation, each checked to hold exactly its rows. */
export function vectorFiles(dir: string, manifest: Manifest, chunkCount: number, sentenceCount: number): VectorFiles {
  const files = vectorFilesOf(dir, manifest.settings, chunkCount, sentenceCount);
  for (const vectors of [...files.chunks, ...files.sentences]) vectors.checkSize();
  return files;
}

export function vectorFilesOf(dir: string, settings: IndexSettings, chunkCount: number, sentenceCount: number): VectorFiles {
  const widths = [settings.dimension, ...settings.rerankModels.map((model) => modelSpec(model).dimension)];
  const file = (name: string, rows: number, width: number) => new VectorFile(path.join(dir, name), rows, width);
  return {
    chunks: [file(FILES.chunkVectors, chunkCount, widths[0]!), ...widths.slice(1).map((w, i) => file(rerankFile(i), chunkCount, w))],
    sentences: [
      file(FILES.sentenceVectors, sentenceCount, widths[0]!),
      ...widths.slice(1).map((w, i) => file(rerankSentenceFile(i), sentenceCount, w)),
    ],
  };
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
    if (bytes !== this.rows * this.width * 4)
      throw new Error(`${path.basename(this.file)} has ${bytes} bytes, expected ${this.rows * this.width * 4}`);
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
export function readAligned(file: string): Uint8Array {
  const bytes = readFileSync(file);
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export function bytesOf(vectors: Float32Array): Uint8Array {
  return new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
}

function readVectors(file: string, expectedFloats: number): Float32Array {
  const bytes = readAligned(file);
  if (bytes.byteLength !== expectedFloats * 4)
    throw new Error(`${path.basename(file)} has ${bytes.byteLength} bytes, expected ${expectedFloats * 4}`);
  return new Float32Array(bytes.buffer);
}
