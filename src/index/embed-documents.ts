/**
 * Embedding documents into their rows: each document's sentences and chunks planned, every model's
 * sentence and title vectors computed in parts (checkpointed by the local ingest), chunk vectors pooled
 * from them. Both backends' ingests use it.
 */

import { tableRows } from '../core/vectors.js';
import { copySignature } from '../corpus/copies.js';
import type { LoadedDocument } from '../corpus/corpus.js';
import { type Embedders, normalise, type ProgressCallback, type TextEmbedder } from '../embedding/embedder.js';
import { type ChunkerSettings, type ChunkSpan, chunkSentences } from '../text/chunker.js';
import { quotableSentences } from '../text/prose.js';
import type { Span } from '../text/sentences.js';
import type { DocumentRows } from './generation-writer.js';

export interface PlannedDocument {
  doc: LoadedDocument;
  sentences: Span[];
  chunks: ChunkSpan[];
}

/** The MinHash signature of a document's words (its body: front matter is not the story). */
export function documentSignature(doc: { text: string; bodyStart?: number }): string {
  return copySignature(doc.text.slice(doc.bodyStart ?? 0));
}

export function planDocument(doc: LoadedDocument, chunker: ChunkerSettings): PlannedDocument {
  const sentences = quotableSentences(doc);
  return { doc, sentences, chunks: chunkSentences(sentences, chunker) };
}

/** Sentences embedded per checkpointed part: a few minutes of work here, so an interruption loses little. */
export const SENTENCES_PER_PART = 2000;

/**
 * Embed documents in parts, each handed to `save` as soon as it is done. Progress counts sentences
 * over all parts (the bar shows an ETA from it).
 */
export async function embedInParts(
  planned: PlannedDocument[],
  embedders: Embedders,
  sentencesPerPart: number,
  save: (part: Array<{ id: string; rows: DocumentRows }>) => void,
  onProgress?: ProgressCallback,
): Promise<void> {
  const models = [embedders.primary, ...embedders.rerankers];
  const total = planned.reduce((sum, p) => sum + p.sentences.length, 0) * models.length;
  let finished = 0;
  let part: PlannedDocument[] = [];
  let partSentences = 0;
  const flush = async () => {
    if (part.length === 0) return;
    save(await embedPart(part, models, (done) => onProgress?.(finished + done, total)));
    finished += partSentences * models.length;
    part = [];
    partSentences = 0;
  };
  onProgress?.(0, total);
  for (const planned1 of planned) {
    part.push(planned1);
    partSentences += planned1.sentences.length;
    if (partSentences >= sentencesPerPart) await flush();
  }
  await flush();
}

/** How much a document's title counts in its chunks' vectors, against the chunk's own sentences (weight 1). */
export const TITLE_WEIGHT = 0.5;

/**
 * Each model embeds every sentence on its own (what quoting compares) and each title once; a chunk's
 * vector is pooled from them: the length-weighted mean of its sentences' vectors, plus the title's
 * at TITLE_WEIGHT, normalised. One forward pass per sentence instead of a second pass over every
 * chunk: half the work, and on the SQuAD tuning part it quoted as well as embedding chunks
 * (docs/architecture.md, Embeddings; docs/performance.md).
 */
async function embedPart(
  part: PlannedDocument[],
  models: TextEmbedder[],
  onProgress: ProgressCallback,
): Promise<Array<{ id: string; rows: DocumentRows }>> {
  const sentenceTexts = part.flatMap(({ doc, sentences }) => sentences.map((s) => doc.text.slice(s.start, s.end)));
  const titles = part.map(({ doc }) => doc.title);
  const tables: Array<{ sentences: Float32Array; titles: Float32Array; dimension: number }> = [];
  for (const [m, model] of models.entries()) {
    const sentences = await model.embedPassages(sentenceTexts, { onProgress: (done) => onProgress(m * sentenceTexts.length + done, 0) });
    tables.push({ sentences, titles: await model.embedPassages(titles), dimension: model.dimension });
  }
  const out: Array<{ id: string; rows: DocumentRows }> = [];
  let sentenceRow = 0;
  part.forEach(({ doc, sentences, chunks }, d) => {
    const perModel = tables.map(({ sentences: table, titles: titleTable, dimension }) => {
      const own = tableRows(table, dimension, sentenceRow, sentences.length).slice();
      const title = tableRows(titleTable, dimension, d, 1);
      return { sentences: own, chunks: pooledChunks(chunks, sentences, own, title, dimension) };
    });
    out.push({
      id: doc.id,
      rows: {
        doc: { sha256: doc.sha256, title: doc.title, chunks, sentences, signature: documentSignature(doc) },
        chunkVectors: perModel[0]!.chunks,
        sentenceVectors: perModel[0]!.sentences,
        rerankVectors: perModel.slice(1).map((p) => p.chunks),
        rerankSentenceVectors: perModel.slice(1).map((p) => p.sentences),
      },
    });
    sentenceRow += sentences.length;
  });
  return out;
}

/** Chunk vectors from the document's sentence vectors and its title vector (see embedPart). */
export function pooledChunks(
  chunks: ChunkSpan[],
  sentences: Span[],
  sentenceVectors: Float32Array,
  title: Float32Array,
  dimension: number,
): Float32Array {
  const out = new Float32Array(chunks.length * dimension);
  chunks.forEach((chunk, c) => {
    const row = out.subarray(c * dimension, (c + 1) * dimension);
    for (let s = chunk.firstSentence; s < chunk.lastSentence; s++) {
      const weight = sentences[s]!.end - sentences[s]!.start;
      const vector = tableRows(sentenceVectors, dimension, s, 1);
      for (let i = 0; i < dimension; i++) row[i]! += weight * vector[i]!;
    }
    normalise(row);
    for (let i = 0; i < dimension; i++) row[i]! += TITLE_WEIGHT * title[i]!;
    normalise(row);
  });
  return out;
}

/** Embed documents without a checkpoint, all rows in memory (the PostgreSQL ingest stores them itself). */
export async function embedDocuments(
  docs: LoadedDocument[],
  embedders: Embedders,
  chunker: ChunkerSettings,
  onProgress?: ProgressCallback,
): Promise<Map<string, DocumentRows>> {
  const rows = new Map<string, DocumentRows>();
  const save = (part: Array<{ id: string; rows: DocumentRows }>) => part.forEach((entry) => rows.set(entry.id, entry.rows));
  await embedInParts(
    docs.map((doc) => planDocument(doc, chunker)),
    embedders,
    SENTENCES_PER_PART,
    save,
    onProgress,
  );
  return rows;
}
