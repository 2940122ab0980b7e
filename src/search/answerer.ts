import { DocumentChangedError, type LoadedDocument } from '../corpus/corpus.js';
import { spanProblem } from '../index/verify.js';
import { DEFAULT_RESULTS } from '../core/ask-options.js';
import type { Answer, AnswerResult, AskOptions } from '../core/types.js';
import type { Embedders } from '../embedding/embedder.js';
import { chunkWithTitle } from '../text/chunker.js';
import { contiguous } from '../text/prose.js';
import { CANDIDATES_PER_RETRIEVER, referenceRows, scaleOf, scoreRuns, zScaler, zScoreFusion } from './fusion.js';
import { Bm25Index } from './bm25.js';
import { askedField, metadataOverlap, type MetadataField } from './about-article.js';
import { answerFromMetadata, withoutOverlaps } from './metadata-answer.js';
import { expectedAnswerType, holdsAnswerType } from './answer-type.js';
import { answerScore, bestWindow, chances, sentenceScore, type QuoteWeights, type SentenceSignals, type Window } from './passages.js';
import { overlap, questionTerms } from './overlap.js';
import { METADATA_MATCH_WEIGHT, PASSAGES_PER_DOCUMENT, QUOTE_WEIGHTS, RELATIVE_CUT } from './quote-weights.js';
import { validateQuestion } from './question.js';
import { ReferenceSample } from './reference-sample.js';
import type { IndexView, RowVectors } from './index-view.js';

export interface AnswererSettings {
  /** Below this relevance (primary-model cosine, comparable across questions) a passage is noise; with none left the question is not covered. */
  minRelevance: number;
  /** A result scoring below this fraction of the best result's score is dropped. */
  relativeCut: number;
  /** Passages one article may contribute when several are not asked for (a second one competes with other articles on score). */
  passagesPerDocument: number;
  /** Weight of BM25 against each embedding model (weight 1) in z-score fusion; 0 = embeddings only. */
  lexicalWeight: number;
  /** How sentences and windows are scored for quoting (see passages.ts). */
  quote: QuoteWeights;
}

/** BM25 weight 1: the train split of SciFact found no better one (see `npm run eval`). */
export const DEFAULT_ANSWERER_SETTINGS: Omit<AnswererSettings, 'minRelevance'> = {
  lexicalWeight: 1,
  quote: QUOTE_WEIGHTS,
  relativeCut: RELATIVE_CUT,
  passagesPerDocument: PASSAGES_PER_DOCUMENT,
};

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

/** A window of one document chosen for quoting. */
export interface Passage {
  docId: string;
  /** The document's text as read for this question (the window's offsets point into it). */
  text: string;
  window: Window;
  /** Mean of the primary model's cosine of the chunk and of the best quoted sentence: comparable across questions. */
  relevance: number;
  /** The chance that the quote holds the answer (see answerScore): results are ordered by it. */
  score: number;
}

/** One document's candidate sentences, by sentence number, with their signals and the best candidate chunk holding each. */
export interface DocumentSentences {
  docId: string;
  /** The document's text, read and checked for this question (see `Answerer.textOf`). */
  text: string;
  bestChunk: Map<number, Candidate>;
  signals: Map<number, SentenceSignals>;
  /** The sentence vectors read for the question (the document's rows among them). */
  vectors: RowVectors;
}

/** Documents considered for quoting beyond the k asked for, in case some fall below the threshold. */
const DOCUMENTS_BEYOND_K = 2;

/**
 * Question in, quoted and attributed answer out, over one index and its corpus:
 * dense (HNSW) and lexical (BM25) candidates re-scored by every model and fused by z-score,
 * then the best windows of one to three sentences of the best articles (passages.ts), ordered
 * by score, and abstention on relevance. The index is any `IndexView` (local files or
 * PostgreSQL): this recipe is the same for both.
 */
export class Answerer {
  private readonly chunkLexical: Bm25Index;
  private readonly sentenceLexical: Bm25Index;
  /** The fixed samples of chunk and sentence rows that set each retriever's score scale (see fusion.ts). */
  private readonly chunkReference: ReferenceSample;
  private readonly sentenceReference: ReferenceSample;
  /** Documents whose text was found to fit their spans (see `textOf`). */
  private readonly fitting = new Set<string>();

  constructor(
    private readonly index: IndexView,
    private readonly documents: Map<string, LoadedDocument>,
    private readonly embedders: Embedders,
    private readonly settings: AnswererSettings,
  ) {
    // The local backend stores BM25 with each generation; otherwise it is built here from the texts
    // (tokenising is most of a cold start: about 1 s per 10,000 chunks and their sentences here).
    const lexical = index.lexical ?? lexicalFromTexts(index, documents);
    this.chunkLexical = lexical.chunks;
    this.sentenceLexical = lexical.sentences;
    const models = 1 + embedders.rerankers.length;
    const moments = index.referenceMoments;
    this.chunkReference = new ReferenceSample(referenceRows(index.chunkRows.length), (rows) => index.chunkVectors(rows), models, moments?.chunks);
    this.sentenceReference = new ReferenceSample(referenceRows(index.sentenceCount), (rows) => index.sentenceVectors(rows), models, moments?.sentences);
  }

  async ask(rawQuestion: string, options: AskOptions = {}): Promise<Answer> {
    const question = validateQuestion(rawQuestion);
    const k = options.k ?? DEFAULT_RESULTS;
    const field = askedField(question);
    const { passages, candidates } = await this.rankPassages(question, options);

    // Below the relevance threshold a passage is noise; a result far weaker than the best one is not worth showing.
    // (A listing of several passages per article, as /search asks for, keeps its weaker ones.)
    const cut = options.allowSameDocument ? 0 : this.settings.relativeCut;
    const best = passages[0]?.score ?? 0;
    const relevant = passages.filter((passage) => passage.relevance >= this.settings.minRelevance && passage.score >= best * cut);
    const shown = relevant.map((passage) => (field ? this.quoteMetadata(this.result(passage), passage.text, field) : this.result(passage)));
    // About an article, its passages all become its byline (or metadata): drop repeats before taking k.
    const results = withoutOverlaps(shown).slice(0, k);
    if (results.length > 0) {
      results.forEach((result, i) => (result.rank = i + 1));
      return { question, answered: true, results, nearest: [] };
    }
    const nearest = bestDocuments(candidates, 3).map((c) => ({ id: c.docId, title: this.documents.get(c.docId)!.title, relevance: round(c.cosine) }));
    return { question, answered: false, results: [], nearest };
  }

  /** Both stages for one (validated) question: the candidate chunks, and the passages worth quoting, best first. */
  async rankPassages(question: string, options: AskOptions = {}): Promise<{ passages: Passage[]; candidates: Candidate[] }> {
    const { queries, candidates } = await this.firstStage(question, options);
    return { candidates, passages: await this.passages(question, queries, candidates, options.k ?? DEFAULT_RESULTS, options.allowSameDocument ?? false) };
  }

  /** The question's vector under every model (primary first), and the candidate chunks in fused order. */
  async firstStage(question: string, options: AskOptions = {}): Promise<{ queries: Float32Array[]; candidates: Candidate[] }> {
    const queries = [await this.embedders.primary.embedQuery(question)];
    for (const reranker of this.embedders.rerankers) queries.push(await reranker.embedQuery(question));
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
    const rowFilter = allowed ? (row: number) => allowed.has(chunkRows[row]!.docId) : undefined;

    const denseTop = await this.index.nearestChunks(queries[0]!, CANDIDATES_PER_RETRIEVER, allowed);
    const bm25 = this.chunkLexical.searchWithScores(question, CANDIDATES_PER_RETRIEVER, rowFilter);
    const vectors = await this.index.chunkVectors([...denseTop, ...bm25.top.map(({ index }) => index)]);
    const scales = await this.chunkReference.scales(queries);
    const runs = scoreRuns(denseTop, bm25.top, this.chunkReference.rows, [
      ...queries.map((query, m) => ({ score: (row: number) => vectors.dot(m, row, query), weight: 1, scale: scales[m] })),
      { score: (row: number) => bm25.scores.get(row) ?? 0, weight: this.settings.lexicalWeight },
    ]);
    const cosine = runs[0]!;
    return zScoreFusion(runs).map(({ id: row, score }) => ({ row, ...chunkRows[row]!, cosine: cosine.scores.get(row)!, fused: score }));
  }

  /**
   * Second stage: the best windows of sentences to quote. Every sentence of the retrieved chunks of
   * the best documents is scored (see passages.ts), the scores become chances over all of them, and
   * each document offers its best window and, when several passages of one article are allowed, its
   * next best ones. Best first.
   */
  private async passages(question: string, queries: Float32Array[], candidates: Candidate[], k: number, allowSameDocument: boolean): Promise<Passage[]> {
    const weights = this.settings.quote;
    const documents = await this.sentenceSignals(question, queries, candidates, k);
    // A question about an article itself names it by its title, outlet or author: the sentences of
    // documents whose metadata shares words with the question come first (see about-article.ts).
    const aboutArticle = askedField(question) ? questionTerms(question, (term) => this.sentenceLexical.idf(term)).idf : null;
    const scores = documents.map(({ docId, signals }) => {
      const bonus = aboutArticle ? METADATA_MATCH_WEIGHT * metadataOverlap(this.documents.get(docId)!, aboutArticle) : 0;
      return new Map([...signals].map(([i, s]) => [i, sentenceScore(s, weights) + bonus]));
    });
    const chance = chances(scores);
    const passages: Passage[] = [];
    for (const [d, { docId, text, bestChunk, vectors }] of documents.entries()) {
      const { sentences } = this.index.documents.get(docId)!;
      const firstRow = this.index.sentenceRowOf.get(docId)!;
      const left = chance[d]!;
      const joinable = (i: number) => contiguous(text, sentences[i]!, sentences[i + 1]!);
      for (let n = 0; n < (allowSameDocument ? k : this.settings.passagesPerDocument); n++) {
        const window = bestWindow(sentences, left, weights, joinable);
        if (!window) break;
        const chunk = bestChunk.get(window.firstSentence)!;
        const relevance = (chunk.cosine + bestCosine(vectors, firstRow, window, queries[0]!)) / 2;
        passages.push({ docId, text, window, relevance, score: answerScore(window.chance, relevance, weights.score) });
        // The next passage of this article must not overlap or touch this one.
        for (let i = window.firstSentence - 1; i <= window.lastSentence; i++) left.delete(i);
      }
    }
    return passages.sort((a, b) => b.score - a.score);
  }

  /**
   * Every sentence of the candidate chunks of the best documents (enough to fill k results after
   * filtering), with the signals passage selection weighs. Also what scripts/tune-quotes.ts fits on.
   */
  async sentenceSignals(question: string, queries: Float32Array[], candidates: Candidate[], k: number): Promise<DocumentSentences[]> {
    const bm25 = this.sentenceLexical.scoreEvery(question);
    const wanted = expectedAnswerType(question);
    const terms = questionTerms(question, (term) => this.sentenceLexical.idf(term));
    const modelNames = [this.embedders.primary.model, ...this.embedders.rerankers.map((r) => r.model)];
    // Documents in the order of their best chunk.
    const byDocument = new Map<string, Candidate[]>();
    for (const candidate of candidates) {
      const list = byDocument.get(candidate.docId);
      if (list) list.push(candidate);
      else if (byDocument.size < k + DOCUMENTS_BEYOND_K) byDocument.set(candidate.docId, [candidate]);
    }
    const reference = await this.sentenceReference.scales(queries);
    const vectors = await this.index.sentenceVectors(this.sentenceRowsOf(byDocument));
    const scales = [...reference.map(zScaler), zScaler(scaleOf(this.sentenceReference.rows.map((row) => bm25.get(row) ?? 0)))];
    const documents: DocumentSentences[] = [];
    for (const [docId, chunks] of byDocument) {
      const doc = this.textOf(docId);
      if (doc === null) continue;
      const { sentences, chunks: spans } = this.index.documents.get(docId)!;
      const firstRow = this.index.sentenceRowOf.get(docId)!;
      const bestChunk = new Map<number, Candidate>();
      for (const candidate of chunks) {
        for (let i = spans[candidate.chunk]!.firstSentence; i < spans[candidate.chunk]!.lastSentence; i++) {
          if (!bestChunk.has(i)) bestChunk.set(i, candidate); // candidates come best first
        }
      }
      const signals = new Map<number, SentenceSignals>();
      for (const [i, chunk] of bestChunk) {
        const row = firstRow + i;
        const text = doc.slice(sentences[i]!.start, sentences[i]!.end);
        signals.set(i, {
          models: queries.map((query, m) => ({ model: modelNames[m]!, z: scales[m]!(vectors.dot(m, row, query)) })),
          bm25: scales[queries.length]!(bm25.get(row) ?? 0),
          chunk: chunk.fused,
          answerType: wanted ? holdsAnswerType(text, wanted, question) : 0,
          ...overlap(terms, text),
          logChars: Math.log(text.length),
        });
      }
      documents.push({ docId, text: doc, bestChunk, signals, vectors });
    }
    return documents;
  }

  /** The sentence rows of every chunk of these candidates (the ones the second stage scores). */
  private sentenceRowsOf(byDocument: Map<string, Candidate[]>): number[] {
    const rows: number[] = [];
    for (const [docId, chunks] of byDocument) {
      const firstRow = this.index.sentenceRowOf.get(docId)!;
      const spans = this.index.documents.get(docId)!.chunks;
      for (const { chunk } of chunks) for (let i = spans[chunk]!.firstSentence; i < spans[chunk]!.lastSentence; i++) rows.push(firstRow + i);
    }
    return rows;
  }

  /** The documents a filter lets through (null: no filter). */
  private allowedDocuments({ publisher, after, before }: AskOptions): Set<string> | null {
    if (!publisher && !after && !before) return null;
    const wanted = publisher?.toLowerCase();
    const allowed = new Set<string>();
    for (const doc of this.documents.values()) {
      if (wanted && !doc.publisher?.toLowerCase().includes(wanted)) continue;
      if (after && (!doc.date || doc.date < after)) continue;
      if (before && (!doc.date || doc.date > before)) continue;
      allowed.add(doc.id);
    }
    return allowed;
  }

  /** For a question about the article itself: the line that states the asked field, or the field without a quote (metadata-answer.ts). */
  private quoteMetadata(result: AnswerResult, text: string, field: MetadataField): AnswerResult {
    return answerFromMetadata(result, text, this.documents.get(result.docId)!, field);
  }

  /**
   * A document's text for quoting: read from its file (corpus.ts: checked against the hash the index
   * was built from) and, the first time, checked to fit the spans the index holds for it. Null when
   * the file changed since it was indexed (a re-index follows) or the spans do not fit: never quoted.
   */
  private textOf(docId: string): string | null {
    let text: string;
    try {
      text = this.documents.get(docId)!.text;
    } catch (error) {
      if (error instanceof DocumentChangedError) return null;
      throw error;
    }
    if (!this.fitting.has(docId)) {
      if (spanProblem(text, this.index.documents.get(docId)!.sentences)) return null;
      this.fitting.add(docId);
    }
    return text;
  }

  /** A passage as the adapters show it. */
  private result({ docId, text, window, score, relevance }: Passage): AnswerResult {
    const doc = this.documents.get(docId)!;
    return {
      rank: 0, // set once results are ordered
      docId: doc.id,
      title: doc.title,
      publisher: doc.publisher,
      author: doc.author,
      date: doc.date,
      url: doc.url,
      score: round(score),
      relevance: round(relevance),
      quote: text.slice(window.start, window.end),
      start: window.start,
      end: window.end,
    };
  }
}

/**
 * BM25 over chunks (under their titles) and over sentences, from the texts: each document's text is
 * read once (texts are read from their files on demand). Rows come out in the index's order: its
 * documents in order, each one's chunks and sentences in text order (as `chunkRows` lists them).
 */
function lexicalFromTexts(index: IndexView, documents: Map<string, LoadedDocument>): { chunks: Bm25Index; sentences: Bm25Index } {
  const chunks: string[] = [];
  const sentences: string[] = [];
  for (const [docId, indexed] of index.documents) {
    const { title, text } = documents.get(docId)!;
    for (const chunk of indexed.chunks) chunks.push(chunkWithTitle(title, text.slice(chunk.start, chunk.end)));
    for (const sentence of indexed.sentences) sentences.push(text.slice(sentence.start, sentence.end));
  }
  return { chunks: Bm25Index.build(chunks), sentences: Bm25Index.build(sentences) };
}

/** The best chunk of each of the first k documents, in fused order (the closest articles of a "not covered" answer). */
function bestDocuments(candidates: Candidate[], k: number): Candidate[] {
  const chosen = new Map<string, Candidate>();
  for (const candidate of candidates) {
    if (chosen.size >= k) break;
    if (!chosen.has(candidate.docId)) chosen.set(candidate.docId, candidate);
  }
  return [...chosen.values()];
}

function bestCosine(vectors: RowVectors, firstRow: number, quote: { firstSentence: number; lastSentence: number }, queryVector: Float32Array): number {
  let best = -1;
  for (let i = quote.firstSentence; i < quote.lastSentence; i++) best = Math.max(best, vectors.dot(0, firstRow + i, queryVector));
  return best;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
