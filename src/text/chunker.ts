import type { Span } from './sentences.js';

export interface ChunkerSettings {
  /** Bump when sentence splitting, prose filtering or chunking logic changes: old indexes are then rebuilt. */
  version: number;
  /** Upper bound on a chunk's length in characters (≈ 4 characters a token keeps it well inside a 512-token window). */
  maxChars: number;
  /** Sentences repeated at the start of the next chunk, so an answer that straddles a boundary is whole in one chunk. */
  overlapSentences: number;
}

export const DEFAULT_CHUNKER: ChunkerSettings = { version: 3, maxChars: 700, overlapSentences: 1 };

export interface ChunkSpan extends Span {
  /** Index range [firstSentence, lastSentence) into the document's sentence list. */
  firstSentence: number;
  lastSentence: number;
}

/**
 * Group consecutive sentences into chunks of at most `maxChars` (a single longer sentence
 * becomes its own chunk; the embedder truncates it). Offsets point into the original text.
 */
export function chunkSentences(sentences: Span[], settings: ChunkerSettings = DEFAULT_CHUNKER): ChunkSpan[] {
  const chunks: ChunkSpan[] = [];
  let first = 0;
  while (first < sentences.length) {
    let last = first + 1;
    while (last < sentences.length && sentences[last]!.end - sentences[first]!.start <= settings.maxChars) last++;
    chunks.push({ start: sentences[first]!.start, end: sentences[last - 1]!.end, firstSentence: first, lastSentence: last });
    if (last >= sentences.length) break;
    // Step forward, keeping the overlap but always making progress.
    first = Math.max(first + 1, last - settings.overlapSentences);
  }
  return chunks;
}

/**
 * What is embedded and indexed for a chunk: the chunk under its article's title, so that a
 * passage deep in an article still carries what the article is about. (Quotes never include
 * the title: they are spans of the text.)
 */
export function chunkWithTitle(title: string, chunkText: string): string {
  return `${title}\n${chunkText}`;
}
