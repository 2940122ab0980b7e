import { concat, tableRows } from '../core/vectors.js';
import { modelSpec } from '../embedding/models.js';
import { buildGraph } from './graph.js';
import { layoutRows, type StoredIndex } from './store.js';

/**
 * The part of a loaded index that covers only the documents `keep` accepts, with its own graph.
 * When a newer index cannot be written (full disk, another writer), the old one still answers for
 * the documents that did not change, and never quotes a changed file at its old offsets.
 */
export function indexSubset(index: StoredIndex, keep: (docId: string) => boolean): StoredIndex {
  const kept = [...index.documents].filter(([id]) => keep(id));
  if (kept.length === index.documents.size) return index;
  const { settings } = index.manifest;
  const rerankWidths = settings.rerankModels.map((model) => modelSpec(model).dimension);
  const rows = (table: Float32Array, width: number, rowOf: Map<string, number>, count: (id: string) => number) =>
    concat(kept.map(([id]) => tableRows(table, width, rowOf.get(id)!, count(id))));
  const chunksOf = (id: string) => index.documents.get(id)!.chunks.length;
  const sentencesOf = (id: string) => index.documents.get(id)!.sentences.length;

  const documents = new Map(kept);
  const chunkVectors = rows(index.chunkVectors, settings.dimension, index.chunkRowOf, chunksOf);
  const { chunkRows, chunkRowOf, sentenceRowOf } = layoutRows(documents);
  return {
    manifest: {
      ...index.manifest,
      counts: { documents: documents.size, chunks: chunkRows.length, sentences: kept.reduce((sum, [id]) => sum + sentencesOf(id), 0) },
    },
    documents,
    chunkRows,
    chunkRowOf,
    sentenceRowOf,
    chunkVectors,
    sentenceVectors: rows(index.sentenceVectors, settings.dimension, index.sentenceRowOf, sentencesOf),
    rerankVectors: index.rerankVectors.map((table, i) => rows(table, rerankWidths[i]!, index.chunkRowOf, chunksOf)),
    rerankSentenceVectors: index.rerankSentenceVectors.map((table, i) => rows(table, rerankWidths[i]!, index.sentenceRowOf, sentencesOf)),
    hnsw: buildGraph(chunkVectors, settings.dimension, chunkRows.length),
  };
}
