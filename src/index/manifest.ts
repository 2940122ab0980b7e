import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ChunkerSettings } from '../text/chunker.js';
import type { Span } from '../text/sentences.js';

/**
 * What names a generation and what it holds: the manifest (settings, counts, files with their
 * sha256) and the names of the generation's files. The documents are in the generation's binary
 * documents table (document-table.ts), so the manifest stays a few kilobytes at any size.
 */

/** Bump when the on-disk layout changes: an index of another format is rebuilt, not misread. */
export const FORMAT_VERSION = 7;
const count = z.number().int().nonnegative();
export interface IndexSettings {
  /** The model behind the HNSW graph, the sentence vectors (quoting) and the abstention threshold. */
  model: string;
  /** Further models whose chunk vectors re-score the candidates (in this order). */
  rerankModels: string[];
  dimension: number;
  chunker: ChunkerSettings;
}

/** A chunk: its offsets, and the sentences it spans (`firstSentence` ≤ i < `lastSentence`). */
export interface ChunkSpan extends Span {
  firstSentence: number;
  lastSentence: number;
}

/**
 * A document's chunks or sentences in text order: an array as the chunker makes them, or a view
 * over the columns of a loaded documents table (document-table.ts). `at(i)` is for 0 ≤ i < length.
 */
export interface SpanList<T extends Span> extends Iterable<T> {
  readonly length: number;
  at(index: number): T | undefined;
}

/** One document's share of the index: its spans, and where its rows sit in the vector tables. */
export interface IndexedDocument {
  sha256: string;
  /** The title embedded with every chunk: a new title (say, from metadata.json) means new vectors. */
  title: string;
  /** Chunks and sentences, each with offsets into the document text. */
  chunks: SpanList<ChunkSpan>;
  sentences: SpanList<Span>;
  /** MinHash signature of the document's words, to find copies of one story (src/corpus/copies.ts); absent in an index written before. */
  signature?: string;
  /** Copies of one story share this number (the table position of their group's first document), found when the generation was written; absent where the backend groups at load. */
  copyGroup?: number;
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
  /** What the documents table holds (the documents themselves, with their sha256 and titles, are in it, not here). */
  counts: z.object({ documents: count, chunks: count, sentences: count }),
  /** Size and sha256 of every file of the generation: loading verifies them before anything is read. */
  files: z.record(z.string(), z.object({ bytes: count, sha256: z.string() })),
});
export type Manifest = z.infer<typeof manifestSchema>;

export class IndexCorruptError extends Error {
  override name = 'IndexCorruptError';
}

export const MANIFEST = 'manifest.json';
/** The manifest of the generation the current one replaced (verified when it was read): the fallback when the current one is damaged. */
export const PREVIOUS_MANIFEST = 'previous-manifest.json';
export const FILES = {
  table: 'documents.bin',
  /** Every model's chunk vector side by side, one row per chunk (vector-file.ts). */
  chunkVectors: 'chunk-vectors.f32',
  /** Every model's sentence vector side by side, one row per sentence. */
  sentenceVectors: 'sentence-vectors.f32',
  hnsw: 'chunks.hnsw',
  chunkBm25: ['chunk-bm25.json', 'chunk-bm25.u32'],
  sentenceBm25: ['sentence-bm25.json', 'sentence-bm25.u32'],
  referenceMoments: 'reference-moments.f64',
} as const;

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

/** Whether two indexes were built the same way (models, dimension, chunker): vectors of one fit the other. */
export function sameSettings(a: IndexSettings, b: IndexSettings): boolean {
  return (
    a.model === b.model &&
    a.rerankModels.join('\n') === b.rerankModels.join('\n') &&
    a.dimension === b.dimension &&
    a.chunker.version === b.chunker.version &&
    a.chunker.maxChars === b.chunker.maxChars &&
    a.chunker.overlapSentences === b.chunker.overlapSentences
  );
}

/** Where a reader records the files of the generation it verified, so the next start need not hash them again (verify.ts). */
export const VERIFIED_STAMP = '.verified.json';
