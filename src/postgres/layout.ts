import type pg from 'pg';
import { ChunkRows } from '../index/chunk-rows.js';
import type { ChunkSpan, IndexedDocument } from '../index/manifest.js';
import type { Span } from '../text/sentences.js';
import type { StoredMetadata } from './schema.js';

/** The published state's layout as every reader sees it: documents in corpus order with their texts, chunk and sentence offsets. */

interface ChunkRow {
  id: number;
  document_id: string;
  start_offset: number;
  end_offset: number;
  first_sentence: number;
  last_sentence: number;
}

export interface DocumentRow {
  id: string;
  sha256: string;
  title: string;
  text: string;
  signature: string | null;
  metadata: StoredMetadata;
}

/**
 * Documents, chunks and sentences in corpus order (rows numbered as the local backend's): the spans
 * table, and the database id behind each chunk and sentence row.
 */
export async function readLayout(client: pg.PoolClient) {
  const docRows = (await client.query('SELECT id, sha256, title, text, metadata, signature FROM documents ORDER BY position'))
    .rows as DocumentRow[];
  const chunkRows = (
    await client.query(
      'SELECT c.id, c.document_id, c.start_offset, c.end_offset, c.first_sentence, c.last_sentence FROM chunks c JOIN documents d ON d.id = c.document_id ORDER BY d.position, c.ord',
    )
  ).rows as ChunkRow[];
  const sentenceRows = (
    await client.query(
      'SELECT s.id, s.document_id, s.start_offset, s.end_offset FROM sentences s JOIN documents d ON d.id = s.document_id ORDER BY d.position, s.ord',
    )
  ).rows as ChunkRow[];

  const indexed = new Map<string, IndexedDocument & { chunks: ChunkSpan[]; sentences: Span[] }>(
    docRows.map((doc) => [
      doc.id,
      { sha256: doc.sha256, title: doc.title, chunks: [], sentences: [], ...(doc.signature ? { signature: doc.signature } : {}) },
    ]),
  );
  const chunkIds = new Int32Array(chunkRows.length);
  chunkRows.forEach((row, i) => {
    const doc = indexed.get(row.document_id)!;
    doc.chunks.push({ start: row.start_offset, end: row.end_offset, firstSentence: row.first_sentence, lastSentence: row.last_sentence });
    chunkIds[i] = row.id;
  });
  const sentenceRowOf = new Map<string, number>();
  const sentenceIds = new Int32Array(sentenceRows.length);
  sentenceRows.forEach((row, i) => {
    const doc = indexed.get(row.document_id)!;
    if (doc.sentences.length === 0) sentenceRowOf.set(row.document_id, i);
    doc.sentences.push({ start: row.start_offset, end: row.end_offset });
    sentenceIds[i] = row.id;
  });
  for (const id of indexed.keys()) if (!sentenceRowOf.has(id)) sentenceRowOf.set(id, 0);
  // Chunks came in document order, each document's in text order: the rows the local index numbers too.
  const rows = ChunkRows.of([...indexed].map(([id, doc]) => [id, doc.chunks.length]));
  return { docRows, indexed, rows, chunkIds, sentenceRowOf, sentenceIds };
}
