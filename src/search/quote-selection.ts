import type { StageTimings } from '../core/types.js';
import type { LoadedDocument } from '../corpus/corpus.js';
import { DocumentChangedError } from '../corpus/document-file.js';
import type { Embedders } from '../embedding/embedder.js';
import type { ReaderVerdict } from '../embedding/reader.js';
import type { Bm25Index } from '../index/bm25.js';
import { referenceRows } from '../index/reference-moments.js';
import { spanProblem } from '../index/verify.js';
import { contiguous } from '../text/prose.js';
import { askedField, metadataOverlap } from './about-article.js';
import { expectedAnswerType, holdsAnswerType } from './answer-type.js';
import type { AnswererSettings } from './answerer.js';
import type { CopyGroups } from './copy-groups.js';
import type { Candidate } from './first-stage.js';
import { scaleOf, zScaler } from './fusion.js';
import type { IndexView, RowVectors } from './index-view.js';
import { overlap, questionTerms } from './overlap.js';
import { answerScore, bestWindow, chances, type ReaderWeights, type SentenceSignals, sentenceScore, type Window } from './passages.js';
import { isKeywordQuery } from './question.js';
import { METADATA_MATCH_WEIGHT } from './quote-weights.js';
import { readInPasses } from './read-passes.js';
import { readerContext } from './reader-context.js';
import { readerVerdict, soleAnswer } from './reader-verdicts.js';
import { ReferenceSample } from './reference-sample.js';
import { timeStage, timeStageSync } from './stage-timings.js';

/** The span head's best start + end logit in a sentence (0 when it placed no span). */
const spanLogit = (verdict: ReaderVerdict) => verdict.answer?.logit ?? 0;

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
  /** Where the reader places the answer, as offsets into `text` (within the window), when it read the window (re-marked by the answer marker: `markAnswers`). */
  answer: { start: number; end: number } | null;
  /** The sentence of the window the reader gave its best logit (its number in the document), where the answer is marked; null when it read none. */
  answerSentence: number | null;
  /** The reader's logit `score` was computed with: `reader`, or the lowest logit it gave when it read none of the window; null when it did not run. What the score model is fitted on. */
  scoredReader: number | null;
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
 * The second stage of an answer: which windows of sentences to quote. Every sentence of the
 * candidate chunks of the best documents gets its signals and a score (passages.ts), the quote
 * reader re-scores the best of them when one is loaded, and each document offers its best window.
 */
export class QuoteSelection {
  /** The fixed sample of sentence rows that sets each retriever's score scale (see fusion.ts). */
  private readonly sentenceReference: ReferenceSample;
  /** Documents whose text was found to fit their spans (see `textOf`). */
  private readonly fitting = new Set<string>();

  constructor(
    private readonly index: IndexView,
    private readonly documents: Map<string, LoadedDocument>,
    private readonly embedders: Embedders,
    private readonly sentenceBm25: Bm25Index,
    private readonly settings: Pick<AnswererSettings, 'quote' | 'reading' | 'passagesPerDocument'>,
    private readonly copies: CopyGroups,
  ) {
    const models = 1 + embedders.rerankers.length;
    this.sentenceReference = new ReferenceSample(
      referenceRows(index.sentenceCount),
      (rows) => index.sentenceVectors(rows),
      models,
      index.referenceMoments?.sentences,
    );
  }

  /**
   * Second stage: the best windows of sentences to quote. Every sentence of the retrieved chunks of
   * the best documents is scored (see passages.ts), the scores become chances over all of them, and
   * each document offers its best window and, when several passages of one article are allowed, its
   * next best ones. Best first.
   */
  async passages(
    question: string,
    queries: Float32Array[],
    candidates: Candidate[],
    { k, allowSameDocument, claim, timings }: { k: number; allowSameDocument: boolean; claim: boolean; timings?: StageTimings },
  ): Promise<Passage[]> {
    const documents = await this.sentenceSignals(question, queries, candidates, k, timings);
    // A question about an article itself names it by its title, outlet or author: the sentences of
    // documents whose metadata shares words with the question come first (see about-article.ts).
    const aboutArticle = askedField(question) ? questionTerms(question, (term) => this.sentenceBm25.idf(term)).idf : null;
    // The reader, trained on questions, judges whether a sentence answers one: "who wrote this
    // article?" is answered by its metadata, and a claim (scripts/claims-eval.ts) or a query of
    // keywords ("tonnes of wheat", question.ts) is not a question; the fitted signals rank those.
    const isQuestion = !aboutArticle && !claim && !isKeywordQuery(question);
    const reading = this.embedders.reader && this.settings.reading.candidates > 0 && isQuestion ? this.settings.reading : null;
    const weights = reading ? { ...this.settings.quote, perHundredChars: reading.perHundredChars } : this.settings.quote;
    const bonuses = documents.map(({ docId }) =>
      aboutArticle ? METADATA_MATCH_WEIGHT * metadataOverlap(this.documents.get(docId)!, aboutArticle) : 0,
    );
    const scores = documents.map(({ signals }, d) => {
      return new Map([...signals].map(([i, s]) => [i, sentenceScore(s, weights) + bonuses[d]!]));
    });
    const read = reading ? await this.readSentences(question, documents, scores, bonuses, reading, timings) : null;
    const chance = chances(scores);
    const sole = read && reading ? soleAnswer(read.verdicts, reading.soleAnswer) : null;
    const passages: Passage[] = [];
    for (const [d, { docId, text, bestChunk, vectors }] of documents.entries()) {
      const sentences = [...this.index.documents.get(docId)!.sentences];
      const firstRow = this.index.sentenceRowOf.get(docId)!;
      const left = chance[d]!;
      // A sentence the reader is sure answers alone is quoted alone (reader-verdicts.ts).
      const alone = sole?.d === d ? sole.i : -1;
      const joinable = (i: number) => contiguous(text, sentences[i]!, sentences[i + 1]!) && i !== alone && i + 1 !== alone;
      for (let n = 0; n < (allowSameDocument ? k : this.settings.passagesPerDocument); n++) {
        const window = bestWindow(sentences, left, weights, joinable);
        if (!window) break;
        const chunk = bestChunk.get(window.firstSentence)!;
        const relevance = (chunk.cosine + bestCosine(vectors, firstRow, window, queries[0]!)) / 2;
        const verdict = read ? readerVerdict(read.verdicts[d]!, window, sentences) : { reader: null, sentence: null, answer: null };
        const { reader, answer, sentence: answerSentence } = verdict;
        // A window the reader did not read scores with the lowest logit it gave (as its sentences did).
        const scoredReader = read ? (reader ?? read.floor) : null;
        const score =
          reading && scoredReader !== null
            ? answerScore(window.chance, relevance, reading.score, scoredReader)
            : answerScore(window.chance, relevance, weights.score);
        passages.push({ docId, text, window, relevance, reader, answer, answerSentence, score, scoredReader });
        // The next passage of this article must not overlap or touch this one.
        for (let i = window.firstSentence - 1; i <= window.lastSentence; i++) left.delete(i);
      }
    }
    return passages.sort((a, b) => b.score - a.score);
  }

  /**
   * The reader reads the best-scored sentences by the fitted signals (in two passes, read-passes.ts)
   * and its logit, weighted, joins their scores; sentences it did not read get the lowest logit it
   * gave, so reading never favours the unread. A document's metadata bonus (`bonuses`, already in
   * its scores) keeps its own weight. Changes `scores` in place.
   */
  private async readSentences(
    question: string,
    documents: DocumentSentences[],
    scores: Array<Map<number, number>>,
    bonuses: number[],
    weights: ReaderWeights,
    timings?: StageTimings,
  ): Promise<{ verdicts: Array<Map<number, ReaderVerdict>>; floor: number } | null> {
    const verdicts = documents.map(() => new Map<number, ReaderVerdict>());
    const ranked = scores
      .flatMap((map, d) => [...map].map(([i, score]) => ({ d, i, score })))
      .sort((a, b) => b.score - a.score)
      .slice(0, weights.candidates);
    if (ranked.length === 0) return null;
    const texts: string[] = [];
    const contexts: string[] = [];
    for (const { d, i } of ranked) {
      const { docId, text } = documents[d]!;
      const sentences = this.index.documents.get(docId)!.sentences;
      texts.push(text.slice(sentences.at(i)!.start, sentences.at(i)!.end));
      contexts.push(readerContext(this.documents.get(docId)!.title, text, sentences, i));
    }
    const read = await timeStage(timings, 'reader', () => readInPasses(this.embedders.reader!, question, texts, contexts, weights));
    read.forEach((verdict, n) => verdicts[ranked[n]!.d]!.set(ranked[n]!.i, verdict));
    const floor = Math.min(...read.map((v) => v.score));
    const spanFloor = Math.min(...read.map(spanLogit));
    for (const [d, map] of scores.entries()) {
      const bonus = bonuses[d]!;
      for (const [i, score] of map) {
        const verdict = verdicts[d]!.get(i);
        const reader = weights.reader * (verdict?.score ?? floor) + weights.span * (verdict ? spanLogit(verdict) : spanFloor);
        map.set(i, weights.signals * (score - bonus) + bonus + reader);
      }
    }
    return { verdicts, floor };
  }

  /**
   * Every sentence of the candidate chunks of the best documents (enough to fill k results after
   * filtering), with the signals passage selection weighs. Also what scripts/tune-quotes.ts fits on.
   */
  async sentenceSignals(
    question: string,
    queries: Float32Array[],
    candidates: Candidate[],
    k: number,
    timings?: StageTimings,
  ): Promise<DocumentSentences[]> {
    const wanted = expectedAnswerType(question);
    const terms = questionTerms(question, (term) => this.sentenceBm25.idf(term));
    const modelNames = [this.embedders.primary.model, ...this.embedders.rerankers.map((r) => r.model)];
    // Documents in the order of their best chunk.
    // One copy of a story (its best-ranked), so copies never fill the results.
    const byDocument = new Map<string, Candidate[]>();
    const stories = new Set<string>();
    for (const candidate of candidates) {
      const list = byDocument.get(candidate.docId);
      if (list) list.push(candidate);
      else if (byDocument.size < k + DOCUMENTS_BEYOND_K && !stories.has(this.copies.story(candidate.docId))) {
        byDocument.set(candidate.docId, [candidate]);
        stories.add(this.copies.story(candidate.docId));
      }
    }
    const reference = await timeStage(timings, 'rows', () => this.sentenceReference.scales(queries));
    const rows = this.sentenceRowsOf(byDocument);
    const vectors = await timeStage(timings, 'rows', () => this.index.sentenceVectors(rows));
    const bm25 = timeStageSync(timings, 'bm25', () => this.sentenceBm25.scoreRows(question, [...rows, ...this.sentenceReference.rows]));
    const scales = [...reference.map(zScaler), zScaler(scaleOf(this.sentenceReference.rows.map((row) => bm25.get(row) ?? 0)))];
    const documents: DocumentSentences[] = [];
    for (const [docId, chunks] of byDocument) {
      const doc = this.textOf(docId);
      if (doc === null) continue;
      // A view over the documents table: its spans as arrays for the few documents a question reads.
      const indexed = this.index.documents.get(docId)!;
      const [sentences, spans] = [[...indexed.sentences], [...indexed.chunks]];
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
      for (const { chunk } of chunks)
        for (let i = spans.at(chunk)!.firstSentence; i < spans.at(chunk)!.lastSentence; i++) rows.push(firstRow + i);
    }
    return rows;
  }

  /**
   * A document's text for quoting: read from its file (corpus.ts: checked against the hash the index
   * was built from) and, the first time, checked to fit the spans the index holds for it. Null when
   * the file changed since it was indexed (a re-index follows) or the spans do not fit: never quoted.
   */
  textOf(docId: string): string | null {
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
}

function bestCosine(
  vectors: RowVectors,
  firstRow: number,
  quote: { firstSentence: number; lastSentence: number },
  queryVector: Float32Array,
): number {
  let best = -1;
  for (let i = quote.firstSentence; i < quote.lastSentence; i++) best = Math.max(best, vectors.dot(0, firstRow + i, queryVector));
  return best;
}
