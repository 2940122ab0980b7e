import type { Corpus, LoadedDocument, SkippedFile } from '../corpus/corpus.js';
import type { Embedder, Embedders, ProgressCallback } from '../embedding/embedder.js';
import { modelSpec } from '../embedding/models.js';
import { concat, tableRows } from '../core/vectors.js';
import { chunkSentences, chunkWithTitle, DEFAULT_CHUNKER, type ChunkerSettings } from '../text/chunker.js';
import { proseSentences } from '../text/prose.js';
import { splitSentences } from '../text/sentences.js';
import { asWriteError } from './atomic.js';
import { describeHolder, lockIndex } from './lock.js';
import {
  IndexCorruptError,
  loadIndex,
  readManifest,
  sameSettings,
  saveIndex,
  type IndexedDocument,
  type IndexSettings,
  type Manifest,
  type StoredIndex,
} from './store.js';

export interface IngestSummary {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  skipped: SkippedFile[];
  /** Why everything was re-embedded, when it was (another model or chunker, a corrupt index). */
  fullRebuild: string | null;
  documents: number;
  chunks: number;
  sentences: number;
  seconds: number;
}

export interface IngestOptions {
  chunker?: ChunkerSettings;
  onProgress?: ProgressCallback;
  /** Called when an existing index cannot be reused, with the reason. */
  onWarning?: (message: string) => void;
  /** How long to wait while another process writes the same index (default: fail at once with IndexLockedError). */
  lockWaitMs?: number;
}

export function indexSettings({ primary, rerankers }: Embedders, chunker: ChunkerSettings = DEFAULT_CHUNKER): IndexSettings {
  return { model: primary.model, rerankModels: rerankers.map((r) => r.model), dimension: primary.dimension, chunker };
}

/**
 * Bring the index in `indexDir` up to date with the corpus: embed only new or changed
 * documents, reuse the vectors of unchanged ones, drop deleted ones, and rebuild the graph.
 * Holds the index's write lock throughout (one writer at a time, see lock.ts); a full or
 * read-only disk is an IndexWriteError naming the path.
 */
export async function ingest(corpus: Corpus, embedders: Embedders, indexDir: string, options: IngestOptions = {}): Promise<{ index: StoredIndex; summary: IngestSummary }> {
  const lock = await lockIndex(indexDir, {
    waitMs: options.lockWaitMs,
    onWait: (holder) => options.onWarning?.(`waiting for another process writing ${indexDir}${describeHolder(holder)}`),
  });
  try {
    return await ingestLocked(corpus, embedders, indexDir, options);
  } catch (error) {
    throw asWriteError(error, indexDir);
  } finally {
    lock.release();
  }
}

async function ingestLocked(corpus: Corpus, embedders: Embedders, indexDir: string, options: IngestOptions): Promise<{ index: StoredIndex; summary: IngestSummary }> {
  const started = performance.now();
  const settings = indexSettings(embedders, options.chunker);
  const { previous, fullRebuild } = reusableIndex(indexDir, settings, options.onWarning);

  const added: string[] = [];
  const changed: string[] = [];
  const toEmbed: LoadedDocument[] = [];
  for (const doc of corpus.documents) {
    const old = previous?.documents.get(doc.id);
    if (sameContent(old, doc)) continue;
    (old ? changed : added).push(doc.id);
    toEmbed.push(doc);
  }
  const currentIds = new Set(corpus.documents.map((doc) => doc.id));
  const removed = previous ? [...previous.documents.keys()].filter((id) => !currentIds.has(id)) : [];

  const fresh = await embedDocuments(toEmbed, embedders, settings.chunker, options.onProgress);

  // Assemble the new tables in corpus order, taking rows from the old index or the fresh embeddings.
  const documents = new Map<string, IndexedDocument>();
  const chunkParts: Float32Array[] = [];
  const sentenceParts: Float32Array[] = [];
  const rerankParts: Float32Array[][] = embedders.rerankers.map(() => []);
  const rerankSentenceParts: Float32Array[][] = embedders.rerankers.map(() => []);
  for (const doc of corpus.documents) {
    const source = fresh.get(doc.id) ?? rowsFromIndex(previous!, doc.id);
    documents.set(doc.id, source.doc);
    chunkParts.push(source.chunkVectors);
    sentenceParts.push(source.sentenceVectors);
    source.rerankVectors.forEach((vectors, i) => rerankParts[i]!.push(vectors));
    source.rerankSentenceVectors.forEach((vectors, i) => rerankSentenceParts[i]!.push(vectors));
  }
  const index = saveIndex(indexDir, settings, documents, concat(chunkParts), concat(sentenceParts), rerankParts.map(concat), rerankSentenceParts.map(concat));

  const summary: IngestSummary = {
    added,
    changed,
    removed,
    unchanged: corpus.documents.length - added.length - changed.length,
    skipped: corpus.skipped,
    fullRebuild,
    documents: corpus.documents.length,
    chunks: index.chunkRows.length,
    sentences: index.sentenceVectors.length / settings.dimension,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
  return { index, summary };
}

function reusableIndex(indexDir: string, settings: IndexSettings, onWarning?: (message: string) => void): { previous: StoredIndex | null; fullRebuild: string | null } {
  try {
    const manifest = readManifest(indexDir);
    if (!manifest) return { previous: null, fullRebuild: null };
    if (!sameSettings(manifest, settings)) {
      return { previous: null, fullRebuild: `index was built with other settings (${manifest.settings.model}, chunks ≤ ${manifest.settings.chunker.maxChars} chars)` };
    }
    return { previous: loadIndex(indexDir), fullRebuild: null };
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    onWarning?.(`${error.message}; rebuilding it from the corpus`);
    return { previous: null, fullRebuild: 'the previous index was corrupt' };
  }
}

/** Same file bytes and same title: the stored vectors are still right. */
export function sameContent(indexed: { sha256: string; title: string } | undefined, doc: LoadedDocument | undefined): boolean {
  return indexed !== undefined && indexed.sha256 === doc?.sha256 && indexed.title === doc.title;
}

export interface DocumentRows {
  doc: IndexedDocument;
  chunkVectors: Float32Array;
  sentenceVectors: Float32Array;
  rerankVectors: Float32Array[];
  rerankSentenceVectors: Float32Array[];
}

/**
 * Embed what changed: each model embeds every chunk (under its article's title) and every
 * sentence on its own. (Sentence vectors pooled from the chunk's forward pass were measured
 * and pick the answering sentence less often for bge-small and e5-small: see the README.)
 */
export async function embedDocuments(docs: LoadedDocument[], embedders: Embedders, chunker: ChunkerSettings, onProgress?: ProgressCallback): Promise<Map<string, DocumentRows>> {
  const models = [embedders.primary, ...embedders.rerankers];
  const planned = docs.map((doc) => {
    // Front matter stays in the text (offsets are file offsets) but is never quoted.
    const sentences = proseSentences(doc.text, splitSentences(doc.text), doc.title).filter((s) => s.start >= (doc.bodyStart ?? 0));
    return { doc, sentences, chunks: chunkSentences(sentences, chunker) };
  });
  const chunkTexts = planned.flatMap(({ doc, chunks }) => chunks.map((c) => chunkWithTitle(doc.title, doc.text.slice(c.start, c.end))));
  const sentenceTexts = planned.flatMap(({ doc, sentences }) => sentences.map((s) => doc.text.slice(s.start, s.end)));
  // One progress bar over every text each model embeds.
  const total = (chunkTexts.length + sentenceTexts.length) * models.length;
  let finished = 0;
  const embed = async (model: Embedder, texts: string[]) => {
    const vectors = await model.embedPassages(texts, { onProgress: (done) => onProgress?.(finished + done, total) });
    finished += texts.length;
    return vectors;
  };
  const tables: Array<{ chunks: Float32Array; sentences: Float32Array }> = [];
  for (const model of models) tables.push({ chunks: await embed(model, chunkTexts), sentences: await embed(model, sentenceTexts) });

  const rows = new Map<string, DocumentRows>();
  let chunkRow = 0;
  let sentenceRow = 0;
  for (const { doc, sentences, chunks } of planned) {
    const chunkRowsOf = (table: Float32Array, dim: number) => tableRows(table, dim, chunkRow, chunks.length);
    const sentenceRowsOf = (table: Float32Array, dim: number) => tableRows(table, dim, sentenceRow, sentences.length);
    rows.set(doc.id, {
      doc: { sha256: doc.sha256, title: doc.title, chunks, sentences },
      chunkVectors: chunkRowsOf(tables[0]!.chunks, models[0]!.dimension),
      sentenceVectors: sentenceRowsOf(tables[0]!.sentences, models[0]!.dimension),
      rerankVectors: tables.slice(1).map((t, i) => chunkRowsOf(t.chunks, embedders.rerankers[i]!.dimension)),
      rerankSentenceVectors: tables.slice(1).map((t, i) => sentenceRowsOf(t.sentences, embedders.rerankers[i]!.dimension)),
    });
    chunkRow += chunks.length;
    sentenceRow += sentences.length;
  }
  return rows;
}

export function rowsFromIndex(index: StoredIndex, docId: string): DocumentRows {
  const doc = index.documents.get(docId)!;
  const dim = index.manifest.settings.dimension;
  const firstChunk = index.chunkRowOf.get(docId)!;
  const firstSentence = index.sentenceRowOf.get(docId)!;
  return {
    doc,
    chunkVectors: tableRows(index.chunkVectors, dim, firstChunk, doc.chunks.length),
    sentenceVectors: tableRows(index.sentenceVectors, dim, firstSentence, doc.sentences.length),
    rerankVectors: index.rerankVectors.map((vectors, i) =>
      tableRows(vectors, modelSpec(index.manifest.settings.rerankModels[i]!).dimension, firstChunk, doc.chunks.length),
    ),
    rerankSentenceVectors: index.rerankSentenceVectors.map((vectors, i) =>
      tableRows(vectors, modelSpec(index.manifest.settings.rerankModels[i]!).dimension, firstSentence, doc.sentences.length),
    ),
  };
}
