import { asWriteError } from '../core/atomic.js';
import { tableRows } from '../core/vectors.js';
import type { Corpus, LoadedDocument, SkippedFile } from '../corpus/corpus.js';
import type { Embedders, ProgressCallback } from '../embedding/embedder.js';
import { modelSpec } from '../embedding/models.js';
import { type ChunkerSettings, DEFAULT_CHUNKER } from '../text/chunker.js';
import { IngestCheckpoint } from './checkpoint.js';
import { documentSignature, embedInParts, planDocument, SENTENCES_PER_PART } from './embed-documents.js';
import { type DocumentRows, GenerationWriter } from './generation-writer.js';
import { describeHolder, lockIndex } from './lock.js';
import { IndexCorruptError, type IndexSettings, readManifest, sameSettings } from './manifest.js';
import { GenerationReader, loadIndex, type StoredIndex } from './store.js';

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
  /** Seconds spent building the HNSW graph (local backend, when a generation was written). */
  graphSeconds?: number;
}

export interface IngestOptions {
  chunker?: ChunkerSettings;
  onProgress?: ProgressCallback;
  /** Called when an existing index cannot be reused, with the reason. */
  onWarning?: (message: string) => void;
  /** How long to wait while another process writes the same index (default: fail at once with IndexLockedError). */
  lockWaitMs?: number;
  /** Sentences embedded between checkpoints (default SENTENCES_PER_PART). */
  sentencesPerPart?: number;
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
export async function ingest(
  corpus: Corpus,
  embedders: Embedders,
  indexDir: string,
  options: IngestOptions = {},
): Promise<{ index: StoredIndex; summary: IngestSummary }> {
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

async function ingestLocked(
  corpus: Corpus,
  embedders: Embedders,
  indexDir: string,
  options: IngestOptions,
): Promise<{ index: StoredIndex; summary: IngestSummary }> {
  const started = performance.now();
  const settings = indexSettings(embedders, options.chunker);
  const { previous, fullRebuild } = reusableGeneration(indexDir, settings, options.onWarning);

  const { added, changed, toEmbed, removed } = corpusChanges(corpus, previous);

  // An index written before copies were looked for gets its documents' signatures once (no re-embedding).
  const unsigned = previous !== null && [...previous.documents.values()].some((doc) => doc.signature === undefined);
  if (previous && !fullRebuild && toEmbed.length === 0 && removed.length === 0 && !unsigned) {
    // Nothing changed: the generation in force stays (no new folder, nothing rewritten).
    return {
      index: loadIndex(indexDir, 'current', { verified: true })!,
      summary: summarise({
        added,
        changed,
        removed,
        corpus,
        fullRebuild,
        started,
        chunks: sum(previous, 'chunks'),
        sentences: sum(previous, 'sentences'),
      }),
    };
  }

  const checkpoint = new IngestCheckpoint(indexDir, settings);
  await embedMissing(toEmbed, checkpoint, embedders, settings, options);

  const { chunks: chunkCount, sentences, graphSeconds } = writeGeneration(indexDir, settings, corpus, checkpoint, previous);
  checkpoint.clear();
  const index = loadIndex(indexDir, 'current', { verified: true })!; // publish() has just hashed every file

  const summary = summarise({ added, changed, removed, corpus, fullRebuild, started, chunks: chunkCount, sentences });
  return { index, summary: { ...summary, graphSeconds } };
}

/** What changed in the corpus since the previous generation, and the documents to embed. */
function corpusChanges(
  corpus: Corpus,
  previous: GenerationReader | null,
): { added: string[]; changed: string[]; toEmbed: LoadedDocument[]; removed: string[] } {
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
  return { added, changed, toEmbed, removed };
}

/** Embeds the documents an interrupted ingest had not embedded yet, saving each part in the checkpoint. */
async function embedMissing(
  toEmbed: LoadedDocument[],
  checkpoint: IngestCheckpoint,
  embedders: Embedders,
  settings: IndexSettings,
  options: IngestOptions,
): Promise<void> {
  const resumed = toEmbed.filter((doc) => checkpoint.document(doc) !== null).length;
  if (resumed > 0) options.onWarning?.(`resuming an interrupted ingest: ${resumed} of ${toEmbed.length} documents were already embedded`);
  const planned = toEmbed.filter((doc) => checkpoint.document(doc) === null).map((doc) => planDocument(doc, settings.chunker));
  await embedInParts(
    planned,
    embedders,
    options.sentencesPerPart ?? SENTENCES_PER_PART,
    (part) => checkpoint.save(part),
    options.onProgress,
  );
}

/**
 * Writes and publishes the new generation in corpus order, one document at a time, from the old
 * generation or the checkpoint; returns its chunk and sentence counts.
 */
function writeGeneration(
  indexDir: string,
  settings: IndexSettings,
  corpus: Corpus,
  checkpoint: IngestCheckpoint,
  previous: GenerationReader | null,
): { chunks: number; sentences: number; graphSeconds: number } {
  const fresh = (doc: LoadedDocument) => checkpoint.document(doc) !== null;
  const rowsOf = (doc: LoadedDocument): DocumentRows => (fresh(doc) ? checkpoint.rows(doc)! : previous!.rows(doc.id));
  const chunkCount = corpus.documents.reduce(
    (sum, doc) => sum + (checkpoint.document(doc) ?? previous!.documents.get(doc.id)!).chunks.length,
    0,
  );
  const writer = new GenerationWriter(indexDir, settings, chunkCount, previous?.manifest ?? null);
  let sentences = 0;
  try {
    for (const doc of corpus.documents) {
      const rows = rowsOf(doc);
      sentences += rows.doc.sentences.length;
      writer.add(doc.id, { ...rows, doc: { ...rows.doc, signature: rows.doc.signature ?? documentSignature(doc) } }, doc.text);
    }
    writer.publish();
  } catch (error) {
    writer.abandon();
    throw error;
  }
  return { chunks: chunkCount, sentences, graphSeconds: Number((writer.graphMs / 1000).toFixed(2)) };
}

/** The summary both backends report (src/postgres/ingest.ts too). */
export function summarise(run: {
  added: string[];
  changed: string[];
  removed: string[];
  corpus: Corpus;
  fullRebuild: string | null;
  started: number;
  chunks: number;
  sentences: number;
}): IngestSummary {
  const { added, changed, removed, corpus, fullRebuild, started, chunks, sentences } = run;
  return {
    added,
    changed,
    removed,
    unchanged: corpus.documents.length - added.length - changed.length,
    skipped: corpus.skipped,
    fullRebuild,
    documents: corpus.documents.length,
    chunks,
    sentences,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
}

function sum(reader: GenerationReader, field: 'chunks' | 'sentences'): number {
  let total = 0;
  for (const doc of reader.documents.values()) total += doc[field].length;
  return total;
}

function reusableGeneration(
  indexDir: string,
  settings: IndexSettings,
  onWarning?: (message: string) => void,
): { previous: GenerationReader | null; fullRebuild: string | null } {
  try {
    const manifest = readManifest(indexDir);
    if (!manifest) return { previous: null, fullRebuild: null };
    if (!sameSettings(manifest.settings, settings)) {
      return {
        previous: null,
        fullRebuild: `index was built with other settings (${manifest.settings.model}, chunks ≤ ${manifest.settings.chunker.maxChars} chars)`,
      };
    }
    return { previous: new GenerationReader(manifest, indexDir), fullRebuild: null };
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    // The generation it replaced, if it still verifies, saves re-embedding what did not change since.
    const previous = previousGeneration(indexDir, settings);
    const reuse = previous ? `, reusing ${previous.manifest.generation} for the documents that did not change since` : '';
    onWarning?.(`${error.message}; rebuilding it from the corpus${reuse}`);
    return { previous, fullRebuild: 'the index in force was corrupt' };
  }
}

function previousGeneration(indexDir: string, settings: IndexSettings): GenerationReader | null {
  try {
    const manifest = readManifest(indexDir, 'previous');
    return manifest && sameSettings(manifest.settings, settings) ? new GenerationReader(manifest, indexDir) : null;
  } catch {
    return null;
  }
}

/** Same file bytes and same title: the stored vectors are still right. */
export function sameContent(indexed: { sha256: string; title: string } | undefined, doc: LoadedDocument | undefined): boolean {
  return indexed !== undefined && indexed.sha256 === doc?.sha256 && indexed.title === doc.title;
}

export type { DocumentRows };

/** One document's rows of a loaded index (views into its tables, nothing copied). */
export function rowsFromIndex(index: StoredIndex, docId: string): DocumentRows {
  const doc = index.documents.get(docId)!;
  const { dimension, rerankModels } = index.manifest.settings;
  const firstChunk = index.chunkRowOf.get(docId)!;
  const firstSentence = index.sentenceRowOf.get(docId)!;
  const widths = rerankModels.map((model) => modelSpec(model).dimension);
  return {
    doc,
    chunkVectors: tableRows(index.chunkVectors, dimension, firstChunk, doc.chunks.length),
    sentenceVectors: tableRows(index.sentenceVectors, dimension, firstSentence, doc.sentences.length),
    rerankVectors: index.rerankVectors.map((table, i) => tableRows(table, widths[i]!, firstChunk, doc.chunks.length)),
    rerankSentenceVectors: index.rerankSentenceVectors.map((table, i) => tableRows(table, widths[i]!, firstSentence, doc.sentences.length)),
  };
}
