import { DocumentChangedError, type LoadedDocument } from '../corpus/corpus.js';
import { spanProblem } from '../index/verify.js';
import { DEFAULT_RESULTS } from '../core/ask-options.js';
import type { Answer, AnswerResult, AskOptions } from '../core/types.js';
import type { Embedders } from '../embedding/embedder.js';
import type { ReaderVerdict } from '../embedding/reader.js';
import type { Span } from '../text/sentences.js';
import { chunkWithTitle } from '../text/chunker.js';
import { contiguous } from '../text/prose.js';
import { CANDIDATES_PER_RETRIEVER, referenceRows, scaleOf, scoreRuns, zScaler, zScoreFusion } from './fusion.js';
import { Bm25Index } from './bm25.js';
import { askedField, metadataOverlap, type MetadataField } from './about-article.js';
import { answerFromMetadata, withoutOverlaps } from './metadata-answer.js';
import { expectedAnswerType, holdsAnswerType } from './answer-type.js';
import { answerScore, bestWindow, chances, sentenceScore, type QuoteWeights, type ReaderWeights, type SentenceSignals, type Window } from './passages.js';
import { overlap, questionTerms } from './overlap.js';
import { METADATA_MATCH_WEIGHT, PASSAGES_PER_DOCUMENT, MARK_ANSWERS, QUOTE_WEIGHTS, READER_ABSTENTION, READER_WEIGHTS, RELATIVE_CUT } from './quote-weights.js';
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
  /** How the quote reader's verdicts join them, when a reader is loaded. */
  reading: ReaderWeights;
  /** The reader's part in deciding "not covered" (see `covers`). */
  abstention: { refuseBelow: number };
  /** Whether results carry the answer the reader marks inside the quote (MARK_ANSWERS). */
  markAnswers: boolean;
}

/** BM25 weight 1: the train split of SciFact found no better one (see `npm run eval`). */
export const DEFAULT_ANSWERER_SETTINGS: Omit<AnswererSettings, 'minRelevance'> = {
  lexicalWeight: 1,
  quote: QUOTE_WEIGHTS,
  reading: READER_WEIGHTS,
  abstention: READER_ABSTENTION,
  markAnswers: MARK_ANSWERS,
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
  /** The reader's best logit among the window's sentences; null when it read none of them (it reads the best few; none loaded; a question about the article itself): relevance alone then decides "not covered". */
  reader: number | null;
  /** Where the reader places the answer, as offsets into `text` (within the window), when it read the window. */
  answer: { start: number; end: number } | null;
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

/** Words of a question that BM25 keeps but that ask rather than say ("how much wheat?" is about wheat). */
const QUANTITY_WORDS = ['much', 'many'];

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
    const relevant = passages.filter((passage) => this.covers(question, passage) && passage.score >= best * cut);
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

  /**
   * Whether a passage is worth quoting at all. Unless the reader read it, relevance alone decides (a
   * passage far from the question in absolute terms is noise). When it did:
   *   - the reader's logit below `refuseBelow` refuses a passage however close its topic: a passage
   *     about the subject that does not answer (the 2004 final for a question about 2022);
   *   - otherwise relevance at or above the threshold quotes it, and so does a passage that holds
   *     every word of the question (question words aside): keyword questions ("tonnes of wheat")
   *     whose cosine is low but whose words the article has.
   */
  private covers(question: string, passage: Passage): boolean {
    if (passage.reader === null) return passage.relevance >= this.settings.minRelevance;
    if (passage.reader < this.settings.abstention.refuseBelow) return false;
    if (passage.relevance >= this.settings.minRelevance) return true;
    const terms = questionTerms(question, (term) => this.sentenceLexical.idf(term), QUANTITY_WORDS);
    return terms.idf.size > 0 && overlap(terms, passage.text.slice(passage.window.start, passage.window.end)).coverage === 1;
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
    const documents = await this.sentenceSignals(question, queries, candidates, k);
    // A question about an article itself names it by its title, outlet or author: the sentences of
    // documents whose metadata shares words with the question come first (see about-article.ts).
    const aboutArticle = askedField(question) ? questionTerms(question, (term) => this.sentenceLexical.idf(term)).idf : null;
    // The reader judges whether a sentence answers; "who wrote this article?" is answered by its metadata, not by a sentence.
    const reading = this.embedders.reader && this.settings.reading.candidates > 0 && !aboutArticle ? this.settings.reading : null;
    const weights = reading ? { ...this.settings.quote, perHundredChars: reading.perHundredChars } : this.settings.quote;
    const bonuses = documents.map(({ docId }) => (aboutArticle ? METADATA_MATCH_WEIGHT * metadataOverlap(this.documents.get(docId)!, aboutArticle) : 0));
    const scores = documents.map(({ signals }, d) => {
      return new Map([...signals].map(([i, s]) => [i, sentenceScore(s, weights) + bonuses[d]!]));
    });
    const read = reading ? await this.readSentences(question, documents, scores, bonuses, reading) : null;
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
        const { reader, answer } = read ? readerVerdict(read.verdicts[d]!, window, sentences) : { reader: null, answer: null };
        // A window the reader did not read scores with the lowest logit it gave (as its sentences did).
        const score = reading && read ? answerScore(window.chance, relevance, reading.score, reader ?? read.floor) : answerScore(window.chance, relevance, weights.score);
        passages.push({ docId, text, window, relevance, reader, answer, score });
        // The next passage of this article must not overlap or touch this one.
        for (let i = window.firstSentence - 1; i <= window.lastSentence; i++) left.delete(i);
      }
    }
    return passages.sort((a, b) => b.score - a.score);
  }

  /**
   * The reader reads the best-scored sentences (by the fitted signals) and its logit, weighted, joins
   * their scores; sentences it did not read get the lowest logit it gave, so reading never favours
   * the unread. A document's metadata bonus (`bonuses`, already in its scores) keeps its own weight.
   * Changes `scores` in place.
   */
  private async readSentences(
    question: string,
    documents: DocumentSentences[],
    scores: Array<Map<number, number>>,
    bonuses: number[],
    weights: ReaderWeights,
  ): Promise<{ verdicts: Array<Map<number, ReaderVerdict>>; floor: number } | null> {
    const verdicts = documents.map(() => new Map<number, ReaderVerdict>());
    const reader = this.embedders.reader!;
    const ranked = scores
      .flatMap((map, d) => [...map].map(([i, score]) => ({ d, i, score })))
      .sort((a, b) => b.score - a.score)
      .slice(0, weights.candidates);
    if (ranked.length === 0) return null;
    const texts = ranked.map(({ d, i }) => {
      const span = this.index.documents.get(documents[d]!.docId)!.sentences[i]!;
      return documents[d]!.text.slice(span.start, span.end);
    });
    const read = await reader.read(question, texts);
    ranked.forEach(({ d, i }, n) => verdicts[d]!.set(i, read[n]!));
    const floor = Math.min(...read.map((v) => v.score));
    for (const [d, map] of scores.entries()) {
      const bonus = bonuses[d]!;
      for (const [i, score] of map) map.set(i, weights.signals * (score - bonus) + bonus + weights.reader * (verdicts[d]!.get(i)?.score ?? floor));
    }
    return { verdicts, floor };
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
  private allowedDocuments(options: AskOptions): Set<string> | null {
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
  private result({ docId, text, window, score, relevance, answer }: Passage): AnswerResult {
    const doc = this.documents.get(docId)!;
    const marked = answer && this.settings.markAnswers ? { answer } : {};
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
      ...marked,
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

/** The reader's best logit in a window, and the answer it marks in that sentence (as text offsets); null when it read none of the window. */
function readerVerdict(verdicts: Map<number, ReaderVerdict>, window: Window, sentences: Span[]): Pick<Passage, 'reader' | 'answer'> {
  let best: { i: number; verdict: ReaderVerdict } | null = null;
  for (let i = window.firstSentence; i < window.lastSentence; i++) {
    const verdict = verdicts.get(i);
    if (verdict && (!best || verdict.score > best.verdict.score)) best = { i, verdict };
  }
  if (!best) return { reader: null, answer: null };
  const { answer } = best.verdict;
  const start = sentences[best.i]!.start;
  return { reader: best.verdict.score, answer: answer ? { start: start + answer.start, end: start + answer.end } : null };
}

function bestCosine(vectors: RowVectors, firstRow: number, quote: { firstSentence: number; lastSentence: number }, queryVector: Float32Array): number {
  let best = -1;
  for (let i = quote.firstSentence; i < quote.lastSentence; i++) best = Math.max(best, vectors.dot(0, firstRow + i, queryVector));
  return best;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
