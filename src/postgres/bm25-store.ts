import type pg from 'pg';
import { Bm25Index } from '../index/bm25.js';
import { bm25FromTexts } from '../search/bm25-from-texts.js';
import { readLayout } from './layout.js';

/**
 * BM25 over chunks and sentences, stored with each published state, so that a bot loads it instead
 * of tokenising every text at start and at every reload (docs/scale-out.md). The publish builds it
 * from the state it has just written, as a bot reads that state (`readLayout`), so the scores are the
 * ones a bot would have built. Stored in parts: a `bytea` holds at most 1 GB and a Buffer parameter
 * travels as hex text, twice its size, within one JavaScript string.
 */
const PART_BYTES = 64 * 2 ** 20;

export type Bm25Pair = { chunks: Bm25Index; sentences: Bm25Index };

/** Build BM25 over the state this transaction holds and store it as the given generation's (replacing any other). */
export async function storeBm25(client: pg.PoolClient, generation: string): Promise<void> {
  const { docRows, indexed } = await readLayout(client);
  const bm25 = bm25FromTexts(indexed, new Map(docRows.map((doc) => [doc.id, doc])));
  await client.query('DELETE FROM bm25_parts');
  for (const kind of ['chunks', 'sentences'] as const) {
    const { header, data } = bm25[kind].toBytes();
    for (let part = 0, from = 0; part === 0 || from < data.length; part++, from += PART_BYTES) {
      const bytes = Buffer.from(data.buffer, data.byteOffset + from, Math.min(PART_BYTES, data.length - from));
      await client.query('INSERT INTO bm25_parts (generation, kind, part, header, data) VALUES ($1, $2, $3, $4, $5)', [
        generation,
        kind,
        part,
        part === 0 ? header : null,
        bytes,
      ]);
    }
  }
}

/**
 * The stored BM25 of this generation, or null when there is none (published before migration 3, or
 * by an older ingest that did not write it) or it does not cover the rows read: the caller builds it from the texts.
 */
export async function loadBm25(
  client: pg.PoolClient,
  generation: string,
  rows: { chunks: number; sentences: number },
): Promise<Bm25Pair | null> {
  const { rows: parts } = await client.query('SELECT kind, header, data FROM bm25_parts WHERE generation = $1 ORDER BY kind, part', [
    generation,
  ]);
  const read = (kind: keyof Bm25Pair) => {
    const mine = parts.filter((part) => part.kind === kind);
    if (mine.length === 0 || mine[0].header === null) return null;
    // One aligned copy of the parts (the postings are read through 32-bit views).
    const data = new Uint8Array(mine.reduce((sum, part) => sum + (part.data as Buffer).length, 0));
    let at = 0;
    for (const part of mine) {
      data.set(part.data as Buffer, at);
      at += (part.data as Buffer).length;
    }
    const index = Bm25Index.fromBytes(mine[0].header as string, data);
    return index.size === rows[kind] ? index : null;
  };
  const chunks = read('chunks');
  const sentences = read('sentences');
  return chunks && sentences ? { chunks, sentences } : null;
}
