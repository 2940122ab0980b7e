import type { AskOptions } from '../core/types.js';
import type { LoadedDocument } from '../corpus/corpus.js';
import type { Embedders } from '../embedding/embedder.js';
import type { Bm25Index } from '../index/bm25.js';
import { referenceRows } from '../index/reference-moments.js';
import { CANDIDATES_PER_RETRIEVER, firstStageScorers, scoreRuns, zScoreFusion } from './fusion.js';
import type { IndexView } from './index-view.js';
import { ReferenceSample } from './reference-sample.js';
import { timeStage, timeStageSync } from './stage-timings.js';

/** A retrieved chunk; candidates are kept in fused order, best first. */
export interface Candidate {
  row: number;
  docId: string;
  chunk: number;
  /** Cosine similarity of the chunk: comparable across questions, so it decides abstention. */
  cosine: number;
  /** Weighted sum of the retrievers' z-scores: how candidates are ordered. */
  fused: number;
}

/**
 * The first stage of an answer: the candidate chunks of a question, from the primary model's
 * nearest chunks (HNSW) and BM25's best chunks, each scored by every model and BM25 and fused by
 * z-score over the reference sample (fusion.ts).
 */
export class FirstStage {
  /** The fixed sample of chunk rows that sets each retriever's score scale (see fusion.ts). */
  private readonly chunkReference: ReferenceSample;

  constructor(
    private readonly index: IndexView,
    private readonly documents: Map<string, LoadedDocument>,
    private readonly embedders: Embedders,
    private readonly chunkBm25: Bm25Index,
    private readonly bm25Weight: number,
  ) {
    const models = 1 + embedders.rerankers.length;
    this.chunkReference = new ReferenceSample(
      referenceRows(index.chunkRows.length),
      (rows) => index.chunkVectors(rows),
      models,
      index.referenceMoments?.chunks,
    );
  }

  /** The question's vector under every model (primary first), and the candidate chunks in fused order. */
  async run(question: string, options: AskOptions = {}): Promise<{ queries: Float32Array[]; candidates: Candidate[] }> {
    const queries = await timeStage(options.timings, 'embed', async () => {
      const vectors = [await this.embedders.primary.embedQuery(question)];
      for (const reranker of this.embedders.rerankers) vectors.push(await reranker.embedQuery(question));
      return vectors;
    });
    return { queries, candidates: await this.searchChunks(question, queries, options) };
  }

  /**
   * First stage: the primary model's nearest chunks (HNSW) and BM25's best chunks. Every model
   * and BM25 then score all of these candidates, and z-scores (over the reference sample) are fused.
   */
  private async searchChunks(question: string, queries: Float32Array[], options: AskOptions): Promise<Candidate[]> {
    const { chunkRows } = this.index;
    if (chunkRows.length === 0) return [];
    const allowed = this.allowedDocuments(options);
    const rowFilter = allowed ? (row: number) => allowed.has(chunkRows.docId(row)) : undefined;

    const { timings } = options;
    const denseTop = await timeStage(timings, 'firstStage', () => this.index.nearestChunks(queries[0]!, CANDIDATES_PER_RETRIEVER, allowed));
    const bm25Top = timeStageSync(timings, 'bm25', () => this.chunkBm25.search(question, CANDIDATES_PER_RETRIEVER, rowFilter));
    const candidateRows = [...denseTop, ...bm25Top.map(({ index }) => index)];
    // BM25's scores of exactly the rows fusion weighs: the candidates and the reference sample that sets its scale.
    const bm25Scores = timeStageSync(timings, 'bm25', () =>
      this.chunkBm25.scoreRows(question, [...candidateRows, ...this.chunkReference.rows]),
    );
    const vectors = await timeStage(timings, 'rows', () => this.index.chunkVectors(candidateRows));
    const scales = await timeStage(timings, 'rows', () => this.chunkReference.scales(queries));
    const models = queries.map((query, m) => ({ score: (row: number) => vectors.dot(m, row, query), scale: scales[m] }));
    const runs = scoreRuns(denseTop, bm25Top, this.chunkReference.rows, firstStageScorers(models, bm25Scores, this.bm25Weight));
    const cosine = runs[0]!;
    return zScoreFusion(runs).map(({ id: row, score }) => ({
      row,
      docId: chunkRows.docId(row),
      chunk: chunkRows.chunk(row),
      cosine: cosine.scores.get(row)!,
      fused: score,
    }));
  }

  /** The documents a filter lets through (null: no filter). */
  allowedDocuments(options: AskOptions): Set<string> | null {
    const { publisher, after, before, folder } = options;
    const hiddenDocuments = new Set(options.hiddenDocuments ?? []);
    const hiddenPublishers = new Set((options.hiddenPublishers ?? []).map((name) => name.toLowerCase()));
    if (!publisher && !after && !before && !folder && hiddenDocuments.size === 0 && hiddenPublishers.size === 0) return null;
    const wanted = publisher?.toLowerCase();
    const allowed = new Set<string>();
    for (const doc of this.documents.values()) {
      if (wanted && !doc.publisher?.toLowerCase().includes(wanted)) continue;
      if (after && (!doc.date || doc.date < after)) continue;
      if (before && (!doc.date || doc.date > before)) continue;
      if (folder && !doc.id.startsWith(`${folder}/`)) continue;
      if (hiddenDocuments.has(doc.id) || (doc.publisher && hiddenPublishers.has(doc.publisher.toLowerCase()))) continue;
      allowed.add(doc.id);
    }
    return allowed;
  }
}

/** The best chunk of each of the first k documents, in fused order (the closest articles of a "not covered" answer). */
export function bestDocuments(candidates: Candidate[], k: number): Candidate[] {
  const chosen = new Map<string, Candidate>();
  for (const candidate of candidates) {
    if (chosen.size >= k) break;
    if (!chosen.has(candidate.docId)) chosen.set(candidate.docId, candidate);
  }
  return [...chosen.values()];
}
