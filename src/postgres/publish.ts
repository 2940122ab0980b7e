/**
 * Publishing to PostgreSQL: one transaction writes the new and changed documents with their rows and
 * vectors, and moves the generation on.
 */
import path from 'node:path';
import type pg from 'pg';
import { tableRows } from '../core/vectors.js';
import type { Corpus, LoadedDocument } from '../corpus/corpus.js';
import { documentSignature } from '../index/embed-documents.js';
import type { DocumentRows } from '../index/ingest.js';
import { type IndexedDocument, type IndexSettings, sameSettings } from '../index/manifest.js';
import { storeBm25 } from './bm25-store.js';
import { type Database, transaction, vectorParam } from './db.js';
import { hnswIndexName, PG_HNSW, type StoredMetadata, vectorColumn } from './schema.js';

/** Rows written per INSERT: a few thousand parameters per statement. */
const BATCH = 500;

/**
 * The documents a publish writes, their rows read one document at a time: a local index of a
 * million chunks holds about 20 GB of vectors, more than a process should hold at once.
 */
export interface FreshRows {
  ids: string[];
  /** The document's spans and signature (no vectors read). */
  indexed(id: string): IndexedDocument;
  /** The document's chunk or sentence vectors under each model, primary first. */
  vectors(id: string, table: 'chunks' | 'sentences'): Float32Array[];
}

/** One table's vectors of a document's rows in memory, under each model, primary first. */
export function tableVectors(rows: DocumentRows, table: 'chunks' | 'sentences'): Float32Array[] {
  return table === 'chunks' ? [rows.chunkVectors, ...rows.rerankVectors] : [rows.sentenceVectors, ...rows.rerankSentenceVectors];
}

/** Rows already in memory (an ingest's freshly embedded documents). */
export function freshFromMap(map: Map<string, DocumentRows>): FreshRows {
  return { ids: [...map.keys()], indexed: (id) => map.get(id)!.doc, vectors: (id, table) => tableVectors(map.get(id)!, table) };
}

/** Bytes of pgvector's HNSW graph per row while it is built in memory (the vector, its neighbour lists, overhead): the index over a million 384-dimension rows took 1.9 GB (docs/scale-out.md), with a margin. */
const GRAPH_BYTES_PER_ROW = 2560;

function metadataOf(doc: LoadedDocument, corpusDir: string): StoredMetadata {
  const file = doc.path ? path.relative(corpusDir, doc.path).split(path.sep).join('/') : doc.id;
  return {
    publisher: doc.publisher,
    author: doc.author,
    date: doc.date,
    url: doc.url,
    file,
    bodyStart: doc.bodyStart ?? 0,
    sourceKey: doc.sourceKey ?? null,
  };
}

/**
 * The one transaction that makes a corpus state current: remove what is gone or re-embedded,
 * insert the fresh rows, set every document's position (corpus order, which fixes row numbers)
 * and metadata, make sure the primary model's HNSW index exists, and bump the generation when
 * anything changed.
 */
export async function publish(
  db: Database,
  settings: IndexSettings,
  corpus: Corpus,
  fresh: FreshRows,
  { removed, fullRebuild }: { removed: string[]; fullRebuild: boolean },
): Promise<{ chunks: number; sentences: number }> {
  const models = [settings.model, ...settings.rerankModels];
  const columns = models.map(vectorColumn);
  return transaction(db, async (client) => {
    // The first publish builds the HNSW index once over all rows (pgvector's advice: much faster than
    // inserting into it row by row); no reader can be serving a schema that was never published. A
    // later publish keeps the index, so running bots are never blocked on it (a DROP INDEX would lock the table).
    const firstPublish = (await client.query('SELECT generation FROM index_state')).rows[0].generation === '0';
    if (firstPublish) await client.query(`DROP INDEX IF EXISTS ${hnswIndexName(settings.model)}`);
    const newChunks = fresh.ids.reduce((sum, id) => sum + fresh.indexed(id).chunks.length, 0);
    // Building the graph in memory is much faster than spilling it; this transaction only.
    await client.query(`SET LOCAL maintenance_work_mem = '${graphMemoryMb(newChunks)}MB'`);
    if (fullRebuild) await client.query('DELETE FROM documents');
    const gone = [...removed, ...fresh.ids];
    if (gone.length > 0) await client.query('DELETE FROM documents WHERE id = ANY($1::text[])', [gone]);

    const byId = new Map(corpus.documents.map((doc) => [doc.id, doc]));
    const freshDocs = fresh.ids.map((id) => byId.get(id)!);
    await insertDocuments(client, corpus, freshDocs, fresh);
    const unsigned = await signUnsigned(client, byId);
    await insertRows(
      client,
      'chunks',
      freshDocs,
      fresh,
      columns,
      (doc) => Array.from(doc.chunks, (c) => [c.start, c.end, c.firstSentence, c.lastSentence]),
      ['first_sentence', 'last_sentence'],
    );
    await insertRows(client, 'sentences', freshDocs, fresh, columns, (doc) => Array.from(doc.sentences, (s) => [s.start, s.end]), []);

    const moved = await updatePositions(client, corpus);

    await client.query(
      `CREATE INDEX IF NOT EXISTS ${hnswIndexName(settings.model)} ON chunks USING hnsw (${vectorColumn(settings.model)} vector_cosine_ops) WITH (m = ${PG_HNSW.m}, ef_construction = ${PG_HNSW.efConstruction})`,
    );
    const next = await nextGeneration(client, settings, corpus, fullRebuild || gone.length > 0 || unsigned > 0 || moved);
    // BM25 for the new state (and for a state published before it was stored), so bots need not tokenise every text.
    const stored = (await client.query('SELECT 1 FROM bm25_parts WHERE generation = $1 LIMIT 1', [next.generation])).rowCount;
    if (!stored) await storeBm25(client, next.generation);
    return next.counts;
  });
}

/** maintenance_work_mem for building the graph over this many rows: at least 512 MB, at most 4 GB (beyond it pgvector builds on disk, slower but safe on a small server). */
export function graphMemoryMb(rows: number): number {
  return Math.min(4096, Math.max(512, Math.ceil((rows * GRAPH_BYTES_PER_ROW) / 2 ** 20)));
}

/**
 * The generation moves on (bots reload) when rows changed, the settings differ or nothing was
 * published yet; returns the table sizes, which the index state records.
 */
async function nextGeneration(
  client: pg.PoolClient,
  settings: IndexSettings,
  corpus: Corpus,
  rowsChanged: boolean,
): Promise<{ generation: string; counts: { chunks: number; sentences: number } }> {
  const counts = (
    await client.query('SELECT (SELECT count(*) FROM chunks)::int AS chunks, (SELECT count(*) FROM sentences)::int AS sentences')
  ).rows[0] as { chunks: number; sentences: number };
  const state = (await client.query('SELECT generation, settings FROM index_state FOR UPDATE')).rows[0] as {
    generation: string;
    settings: IndexSettings | null;
  };
  const changed = rowsChanged || !state.settings || !sameSettings(state.settings, settings) || state.generation === '0';
  if (!changed) return { generation: state.generation, counts };
  const moved = await client.query(
    'UPDATE index_state SET generation = generation + 1, settings = $1, published_at = now(), summary = $2 RETURNING generation',
    [JSON.stringify(settings), JSON.stringify({ documents: corpus.documents.length, ...counts })],
  );
  return { generation: String(moved.rows[0].generation), counts };
}

/** Positions and metadata of every document (metadata.json may change without the text changing); true when any moved. */
async function updatePositions(client: pg.PoolClient, corpus: Corpus): Promise<boolean> {
  const before = (await client.query("SELECT md5(string_agg(id || position || metadata::text, '|' ORDER BY id)) AS digest FROM documents"))
    .rows[0].digest;
  await client.query(
    `UPDATE documents SET position = u.position, metadata = u.metadata
     FROM unnest($1::text[], $2::int[], $3::jsonb[]) AS u(id, position, metadata) WHERE documents.id = u.id`,
    [
      corpus.documents.map((d) => d.id),
      corpus.documents.map((_, i) => i),
      corpus.documents.map((d) => JSON.stringify(metadataOf(d, corpus.dir))),
    ],
  );
  const after = (await client.query("SELECT md5(string_agg(id || position || metadata::text, '|' ORDER BY id)) AS digest FROM documents"))
    .rows[0].digest;
  return before !== after;
}

/** The new and changed documents' rows, in batches. */
async function insertDocuments(client: pg.PoolClient, corpus: Corpus, freshDocs: LoadedDocument[], fresh: FreshRows): Promise<void> {
  for (let from = 0; from < freshDocs.length; from += BATCH) {
    const batch = freshDocs.slice(from, from + BATCH);
    await client.query(
      `INSERT INTO documents (id, position, sha256, title, text, metadata, signature)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[])`,
      [
        batch.map((d) => d.id),
        batch.map(() => -1),
        batch.map((d) => d.sha256),
        batch.map((d) => d.title),
        batch.map((d) => d.text),
        batch.map((d) => JSON.stringify(metadataOf(d, corpus.dir))),
        batch.map((d) => fresh.indexed(d.id).signature ?? documentSignature(d)),
      ],
    );
  }
}

/** Documents published before signatures were stored get theirs once (their vectors stay); returns how many. */
async function signUnsigned(client: pg.PoolClient, byId: Map<string, LoadedDocument>): Promise<number> {
  const unsigned = (await client.query('SELECT id FROM documents WHERE signature IS NULL')).rows
    .map((row) => row.id as string)
    .filter((id) => byId.has(id));
  if (unsigned.length > 0) {
    await client.query(
      'UPDATE documents SET signature = u.signature FROM unnest($1::text[], $2::text[]) AS u(id, signature) WHERE documents.id = u.id',
      [unsigned, unsigned.map((id) => documentSignature(byId.get(id)!))],
    );
  }
  return unsigned.length;
}

/** Chunk or sentence rows of the fresh documents, with every model's vectors, in batches of unnest()ed arrays. */
async function insertRows(
  client: pg.PoolClient,
  table: 'chunks' | 'sentences',
  docs: LoadedDocument[],
  fresh: FreshRows,
  columns: string[],
  spans: (doc: IndexedDocument) => number[][],
  extraColumns: string[],
): Promise<void> {
  const names = ['document_id', 'ord', 'start_offset', 'end_offset', ...extraColumns, ...columns];
  const types = ['text[]', 'int[]', 'int[]', 'int[]', ...extraColumns.map(() => 'int[]'), ...columns.map(() => 'vector[]')];
  const sql = `INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${types.map((type, i) => `$${i + 1}::${type}`).join(', ')})`;
  let pending: unknown[][] = names.map(() => []);
  const flush = async () => {
    if (pending[0]!.length === 0) return;
    await client.query(sql, pending);
    pending = names.map(() => []);
  };
  for (const doc of docs) {
    const spanRows = spans(fresh.indexed(doc.id));
    const tables = fresh.vectors(doc.id, table);
    for (let i = 0; i < spanRows.length; i++) {
      pending[0]!.push(doc.id);
      pending[1]!.push(i);
      spanRows[i]!.forEach((value, j) => pending[2 + j]!.push(value));
      tables.forEach((vectors, m) =>
        pending[2 + spanRows[i]!.length + m]!.push(vectorParam(tableRows(vectors, vectors.length / spanRows.length, i, 1))),
      );
      if (pending[0]!.length >= BATCH) await flush();
    }
  }
  await flush();
}
