import type { LoadedDocument } from '../corpus/corpus.js';
import { DEFAULT_RESULTS } from '../core/ask-options.js';
import type { Answer, AnswerResult, AskOptions } from '../core/types.js';
import type { Embedders } from '../index/ingest.js';
import type { StoredIndex } from '../index/store.js';
import { chunkWithTitle } from '../text/chunker.js';
import { contiguous } from '../text/prose.js';
import { CANDIDATES_PER_RETRIEVER, referenceRows, zScoreFusion } from './fusion.js';
import { LexicalIndex } from './lexical.js';
import { chooseQuote } from './quote.js';
import { validateQuestion } from './question.js';
import { dotRow } from '../core/vectors.js';

export interface RetrieverSettings {
  /** Below this relevance the best result is noise and the question counts as not covered. */
  minScore: number;
  /** Weight of BM25 against each embedding model (weight 1) in z-score fusion; 0 = embeddings only. */
  lexicalWeight: number;
  /** Weight of a sentence's (max-normalised) BM25 score when choosing what to quote. */
  quoteLexicalWeight: number;
}

/** BM25 weight 1: the train split of SciFact found no better one (see `npm run eval`). */
export const DEFAULT_RETRIEVER_SETTINGS: Omit<RetrieverSettings, 'minScore'> = { lexicalWeight: 1, quoteLexicalWeight: 0.3 };

/** A retrieved chunk; candidates are kept in fused order, best first. */
interface Candidate {
  row: number;
  docId: string;
  chunk: number;
  /** Cosine similarity of the chunk: comparable across questions, so it decides abstention. */
  cosine: number;
}

/**
 * Question in, quoted and attributed answer out, over one loaded index and its corpus:
 * dense (HNSW) and lexical (BM25) candidates re-scored by every model and fused by z-score,
 * one chunk per document, then the best one to three sentences around it as the quote.
 */
export class Retriever {
  private readonly chunkLexical: LexicalIndex;
  private readonly sentenceLexical: LexicalIndex;
  /** The fixed sample of chunk rows that sets each retriever's score scale (see fusion.ts). */
  private readonly referenceRows: number[];

  constructor(
    private readonly index: StoredIndex,
    private readonly documents: Map<string, LoadedDocument>,
    private readonly embedders: Embedders,
    private readonly settings: RetrieverSettings,
  ) {
    // Rebuilt on load rather than stored: BM25 over these spans takes well under a second per 10,000 chunks.
    const spanText = (docId: string, span: { start: number; end: number }) => documents.get(docId)!.text.slice(span.start, span.end);
    this.chunkLexical = LexicalIndex.build(
      index.chunkRows.map(({ docId, chunk }) => chunkWithTitle(documents.get(docId)!.title, spanText(docId, index.documents.get(docId)!.chunks[chunk]!))),
    );
    this.referenceRows = referenceRows(index.chunkRows.length);
    this.sentenceLexical = LexicalIndex.build([...index.documents].flatMap(([docId, doc]) => doc.sentences.map((s) => spanText(docId, s))));
  }

  async ask(rawQuestion: string, options: AskOptions = {}): Promise<Answer> {
    const question = validateQuestion(rawQuestion);
    const k = options.k ?? DEFAULT_RESULTS;
    const queryVector = await this.embedders.primary.embedQuery(question);
    const rerankQueries = await Promise.all(this.embedders.rerankers.map((reranker) => reranker.embedQuery(question)));
    const candidates = this.searchChunks(question, queryVector, rerankQueries, options);
    // Results keep the fused order (measured best on SciFact); the relevance score only decides
    // whether a result is good enough to quote.
    const chosen = diversify(candidates, k, options.allowSameDocument ?? false);
    const sentenceBm25 = this.sentenceLexical.scoreAll(question);
    const results = chosen.map((candidate) => this.quote(candidate, candidates, queryVector, sentenceBm25));

    const relevant = results.filter((result) => result.score >= this.settings.minScore);
    if (relevant.length > 0) {
      relevant.forEach((result, i) => (result.rank = i + 1));
      return { question, answered: true, results: relevant, nearest: [] };
    }
    const nearest = diversify(candidates, 3, false).map((c) => ({ id: c.docId, title: this.documents.get(c.docId)!.title, score: round(c.cosine) }));
    return { question, answered: false, results: [], nearest };
  }

  /**
   * First stage: the primary model's nearest chunks (HNSW) and BM25's best chunks. Every model
   * and BM25 then score all of these candidates and the reference sample, and z-scores are fused.
   */
  private searchChunks(question: string, queryVector: Float32Array, rerankQueries: Float32Array[], options: AskOptions): Candidate[] {
    const { hnsw, chunkRows } = this.index;
    if (chunkRows.length === 0) return [];
    const allowed = this.documentFilter(options);
    const rowFilter = allowed ? (row: number) => allowed(chunkRows[row]!.docId) : undefined;

    const candidates = new Set(hnsw.searchKnn(Array.from(queryVector), Math.min(CANDIDATES_PER_RETRIEVER, chunkRows.length), rowFilter).neighbors);
    const bm25 = this.chunkLexical.searchWithScores(question, CANDIDATES_PER_RETRIEVER, rowFilter);
    for (const { index } of bm25.top) candidates.add(index);
    const rows = [...candidates];
    const run = (score: (row: number) => number, weight: number) => ({
      scores: new Map(rows.map((row) => [row, score(row)])),
      reference: this.referenceRows.map(score),
      weight,
    });

    const cosine = run((row) => dotRow(this.index.chunkVectors, row, queryVector), 1);
    const runs = [
      cosine,
      ...rerankQueries.map((vector, i) => run((row) => dotRow(this.index.rerankVectors[i]!, row, vector), 1)),
      run((row) => bm25.scores.get(row) ?? 0, this.settings.lexicalWeight),
    ];
    return zScoreFusion(runs).map(({ id: row }) => ({ row, ...chunkRows[row]!, cosine: cosine.scores.get(row)! }));
  }

  private documentFilter({ publisher, after, before }: AskOptions): ((docId: string) => boolean) | null {
    if (!publisher && !after && !before) return null;
    const wanted = publisher?.toLowerCase();
    return (docId) => {
      const doc = this.documents.get(docId)!;
      if (wanted && !doc.publisher?.toLowerCase().includes(wanted)) return false;
      if (after && (!doc.date || doc.date < after)) return false;
      if (before && (!doc.date || doc.date > before)) return false;
      return true;
    };
  }

  /**
   * Quote the best sentences of the chosen chunk and its retrieved neighbours (measured: looking
   * across the whole document lets distant, merely similar sentences win). Relevance averages the chunk's and the quote's cosine.
   */
  private quote(candidate: Candidate, candidates: Candidate[], queryVector: Float32Array, sentenceBm25: Map<number, number>): AnswerResult {
    const doc = this.documents.get(candidate.docId)!;
    const { sentences, chunks } = this.index.documents.get(candidate.docId)!;
    const firstRow = this.index.sentenceRowOf.get(candidate.docId)!;
    const sameDocument = candidates.filter((c) => c.docId === candidate.docId && Math.abs(c.chunk - candidate.chunk) <= 1);

    const scores = sentences.map(() => -Infinity);
    let maxBm25 = 0;
    for (const c of sameDocument) {
      for (let i = chunks[c.chunk]!.firstSentence; i < chunks[c.chunk]!.lastSentence; i++) maxBm25 = Math.max(maxBm25, sentenceBm25.get(firstRow + i) ?? 0);
    }
    for (const c of sameDocument) {
      for (let i = chunks[c.chunk]!.firstSentence; i < chunks[c.chunk]!.lastSentence; i++) {
        const lexical = maxBm25 > 0 ? (sentenceBm25.get(firstRow + i) ?? 0) / maxBm25 : 0;
        scores[i] = dotRow(this.index.sentenceVectors, firstRow + i, queryVector) + this.settings.quoteLexicalWeight * lexical;
      }
    }
    const quote = chooseQuote(sentences, scores, 0, sentences.length, (i) => contiguous(doc.text, sentences[i]!, sentences[i + 1]!));
    return {
      rank: 0, // set once results are ordered
      docId: doc.id,
      title: doc.title,
      publisher: doc.publisher,
      author: doc.author,
      date: doc.date,
      url: doc.url,
      score: round((candidate.cosine + bestCosine(this.index.sentenceVectors, firstRow, quote, queryVector)) / 2),
      quote: doc.text.slice(quote.start, quote.end),
      start: quote.start,
      end: quote.end,
    };
  }
}

/** Best first (by fused score); one chunk per document unless asked, and never two overlapping chunks. */
function diversify(candidates: Candidate[], k: number, allowSameDocument: boolean): Candidate[] {
  const chosen: Candidate[] = [];
  for (const candidate of candidates) {
    if (chosen.length >= k) break;
    const clash = chosen.some((c) => c.docId === candidate.docId && (!allowSameDocument || Math.abs(c.chunk - candidate.chunk) <= 1));
    if (!clash) chosen.push(candidate);
  }
  return chosen;
}

function bestCosine(vectors: Float32Array, firstRow: number, quote: { firstSentence: number; lastSentence: number }, queryVector: Float32Array): number {
  let best = -1;
  for (let i = quote.firstSentence; i < quote.lastSentence; i++) best = Math.max(best, dotRow(vectors, firstRow + i, queryVector));
  return best;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
