import { Bm25Index } from '../index/bm25.js';
import type { IndexedDocument } from '../index/manifest.js';
import { chunkWithTitle } from '../text/chunker.js';

/**
 * BM25 over chunks (under their titles) and over sentences, from the texts: each document's text is
 * read once (texts are read from their files on demand). Rows come out in the index's order: its
 * documents in order, each one's chunks and sentences in text order (as `chunkRows` lists them).
 * What an index without stored BM25 builds at load, and what the PostgreSQL publish stores.
 */
export function bm25FromTexts(
  layout: ReadonlyMap<string, Pick<IndexedDocument, 'chunks' | 'sentences'>>,
  documents: ReadonlyMap<string, { title: string; text: string }>,
): { chunks: Bm25Index; sentences: Bm25Index } {
  const chunks: string[] = [];
  const sentences: string[] = [];
  for (const [docId, indexed] of layout) {
    const { title, text } = documents.get(docId)!;
    for (const chunk of indexed.chunks) chunks.push(chunkWithTitle(title, text.slice(chunk.start, chunk.end)));
    for (const sentence of indexed.sentences) sentences.push(text.slice(sentence.start, sentence.end));
  }
  return { chunks: Bm25Index.build(chunks), sentences: Bm25Index.build(sentences) };
}
