import { DEFAULT_RESULTS } from '../core/ask-options.js';
import { quoteLink } from '../core/text-fragment.js';
import type { Answer, AnswerResult, AskOptions } from '../core/types.js';
import type { LoadedDocument } from '../corpus/corpus.js';
import type { Embedders } from '../embedding/embedder.js';
import type { Bm25Index } from '../index/bm25.js';
import { askedField, type MetadataField } from './about-article.js';
import { covers, withoutUnreadAlone } from './abstention.js';
import { markAnswers } from './answer-marks.js';
import { bm25FromTexts } from './bm25-from-texts.js';
import { CopyGroups } from './copy-groups.js';
import { bestDocuments, type Candidate, FirstStage } from './first-stage.js';
import type { IndexView } from './index-view.js';
import { answerFromMetadata, withoutOverlaps } from './metadata-answer.js';
import type { QuoteWeights, ReaderWeights } from './passages.js';
import { validateQuestion } from './question.js';
import { lacksQuestionNames } from './question-names.js';
import { type DocumentSentences, type Passage, QuoteSelection } from './quote-selection.js';
import { MARK_ANSWERS, PASSAGES_PER_DOCUMENT, QUOTE_WEIGHTS, READER_ABSTENTION, READER_WEIGHTS, RELATIVE_CUT } from './quote-weights.js';
import { timeStage } from './stage-timings.js';

export interface AnswererSettings {
  /** Below this relevance (primary-model cosine, comparable across questions) a passage is noise; with none left the question is not covered. */
  minRelevance: number;
  /** A result scoring below this fraction of the best result's score is dropped. */
  relativeCut: number;
  /** Passages one article may contribute when several are not asked for (a second one competes with other articles on score). */
  passagesPerDocument: number;
  /** Weight of BM25 against each embedding model (weight 1) in z-score fusion; 0 = embeddings only. */
  bm25Weight: number;
  /** How sentences and windows are scored for quoting (see passages.ts). */
  quote: QuoteWeights;
  /** How the quote reader's verdicts join them, when a reader is loaded. */
  reading: ReaderWeights;
  /** The reader's part in deciding "not covered" (see `covers`). */
  abstention: { refuseBelow: number; answerAbove: number; relevanceMargin: number; namesMissingPenalty: number; minScore: number };
  /** Whether results carry the answer the reader marks inside the quote (MARK_ANSWERS). */
  markAnswers: boolean;
}

/** BM25 weight 1: the train split of SciFact found no better one (see `npm run eval`). */
export const DEFAULT_ANSWERER_SETTINGS: Omit<AnswererSettings, 'minRelevance'> = {
  bm25Weight: 1,
  quote: QUOTE_WEIGHTS,
  reading: READER_WEIGHTS,
  abstention: READER_ABSTENTION,
  markAnswers: MARK_ANSWERS,
  relativeCut: RELATIVE_CUT,
  passagesPerDocument: PASSAGES_PER_DOCUMENT,
};

/**
 * Question in, quoted and attributed answer out, over one index and its corpus: the first stage's
 * candidates (first-stage.ts: dense and BM25, re-scored by every model and fused by z-score), then
 * the best windows of one to three sentences of the best articles (quote-selection.ts), ordered by
 * score, and "not covered" when none is worth quoting (abstention.ts). The index is any
 * `IndexView` (local files or PostgreSQL): this recipe is the same for both.
 */
export class Answerer {
  private readonly sentenceBm25: Bm25Index;
  private readonly first: FirstStage;
  private readonly quotes: QuoteSelection;
  /** Copies of one story (found from the signatures stored with the index). */
  private readonly copies: CopyGroups;
  /** The answer marker over passages of this index (answer-marks.ts). */
  private readonly markAnswers: (question: string, passages: Passage[], limit: number) => Promise<Passage[]>;

  constructor(
    index: IndexView,
    private readonly documents: Map<string, LoadedDocument>,
    embedders: Embedders,
    private readonly settings: AnswererSettings,
  ) {
    // The local backend stores BM25 with each generation; otherwise it is built here from the texts
    // (tokenising is most of a cold start: about 1 s per 10,000 chunks and their sentences here).
    const bm25 = index.bm25 ?? bm25FromTexts(index.documents, documents);
    this.sentenceBm25 = bm25.sentences;
    this.first = new FirstStage(index, documents, embedders, bm25.chunks, settings.bm25Weight);
    this.copies = new CopyGroups(index.documents, documents);
    this.quotes = new QuoteSelection(index, documents, embedders, bm25.sentences, settings, this.copies);
    const documentOf = (docId: string) => ({ title: documents.get(docId)!.title, sentences: index.documents.get(docId)!.sentences });
    this.markAnswers = (question, passages, limit) => markAnswers(embedders.reader, question, passages, limit, documentOf);
  }

  async ask(rawQuestion: string, options: AskOptions = {}): Promise<Answer> {
    const question = validateQuestion(rawQuestion);
    const k = options.k ?? DEFAULT_RESULTS;
    const field = askedField(question);
    const { passages, candidates } = await this.rankPassages(question, options);

    // A listing of several passages per article, as /search asks for, keeps its weaker ones.
    const cut = options.allowSameDocument ? 0 : this.settings.relativeCut;
    const worth = this.worthShowing(question, passages, this.settings, cut);
    const allowed = this.first.allowedDocuments(options);
    const show = (passage: Passage) => {
      const result = field ? this.quoteMetadata(this.result(passage), passage.text, field) : this.result(passage);
      return this.cite(result, passage.text, allowed, field === null);
    };
    // About an article, its passages all become its byline (or metadata): drop repeats before taking k.
    const shown = worth.map((passage) => ({ passage, result: show(passage) }));
    const kept = new Set(withoutOverlaps(shown.map(({ result }) => result)).slice(0, k));
    const chosen = shown.filter(({ result }) => kept.has(result));
    // The marker reads only the sentences of the quotes shown (one more model call each).
    const marked = this.settings.markAnswers
      ? await timeStage(options.timings, 'marker', () =>
          this.markAnswers(
            question,
            chosen.map(({ passage }) => passage),
            k,
          ),
        )
      : null;
    // Marked passages are shown again, not patched: citing an earlier copy shifts the answer with the quote.
    const results = marked?.map(show) ?? chosen.map(({ result }) => result);
    if (results.length > 0) {
      results.forEach((result, i) => (result.rank = i + 1));
      return { question, answered: true, results, nearest: [] };
    }
    const nearest = bestDocuments(candidates, 3).map((c) => ({
      id: c.docId,
      title: this.documents.get(c.docId)!.title,
      relevance: round(c.cosine),
    }));
    return { question, answered: false, results: [], nearest };
  }

  /**
   * The passages (best first) worth showing under these settings: below the relevance threshold a
   * passage is noise (abstention.ts, with this index's word weights), and one scoring under `cut` of
   * the best is not worth showing. None left is "not covered". Also what scripts/tune-abstention.ts
   * measures its rules with.
   */
  worthShowing(
    question: string,
    passages: Passage[],
    settings: Pick<AnswererSettings, 'minRelevance' | 'abstention'>,
    cut: number,
    lacksNames = lacksQuestionNames(question),
  ): Passage[] {
    const best = passages[0]?.score ?? 0;
    const idf = (term: string) => this.sentenceBm25.idf(term);
    const shown = passages.filter(
      (passage) => covers(question, passage, settings, idf, lacksNames(passage.text)) && passage.score >= best * cut,
    );
    return withoutUnreadAlone(shown, passages);
  }

  /** Both stages for one (validated) question: the candidate chunks, and the passages worth quoting, best first. */
  async rankPassages(question: string, options: AskOptions = {}): Promise<{ passages: Passage[]; candidates: Candidate[] }> {
    const { queries, candidates } = await this.firstStage(question, options);
    return {
      candidates,
      passages: await this.quotes.passages(question, queries, candidates, {
        k: options.k ?? DEFAULT_RESULTS,
        allowSameDocument: options.allowSameDocument ?? false,
        claim: options.claim ?? false,
        timings: options.timings,
      }),
    };
  }

  /** The question's vector under every model (primary first), and the candidate chunks in fused order (first-stage.ts). */
  firstStage(question: string, options: AskOptions = {}): Promise<{ queries: Float32Array[]; candidates: Candidate[] }> {
    return this.first.run(question, options);
  }

  /** Every candidate sentence with its signals (quote-selection.ts): what scripts/tune-quotes.ts fits on. */
  sentenceSignals(question: string, queries: Float32Array[], candidates: Candidate[], k: number): Promise<DocumentSentences[]> {
    return this.quotes.sentenceSignals(question, queries, candidates, k);
  }

  /** For a question about the article itself: the line that states the asked field, or the field without a quote (metadata-answer.ts). */
  private quoteMetadata(result: AnswerResult, text: string, field: MetadataField): AnswerResult {
    return answerFromMetadata(result, text, this.documents.get(result.docId)!, field);
  }

  /**
   * A result as cited: from the earliest copy of its story that holds the same words (unless the
   * question is about the article itself), linked to the quoted words, naming the other copies.
   */
  private cite(result: AnswerResult, text: string, allowed: ReadonlySet<string> | null, fromFirstReport: boolean): AnswerResult {
    const first = fromFirstReport ? this.copies.firstReport(result, allowed, (id) => this.quotes.textOf(id)) : { result, text: null };
    const cited = first.result;
    const doc = this.documents.get(cited.docId)!;
    const source = { text: first.text ?? text, bodyStart: doc.bodyStart, title: doc.title };
    const link = cited.start === null || cited.end === null ? cited.url : quoteLink(cited.url, source, cited.start, cited.end);
    return { ...cited, link, alsoPublishedBy: this.copies.copiesOf(cited.docId) };
  }

  /** The other copies of a document's story, earliest report first (ids). */
  copiesOf(id: string): string[] {
    return this.copies.others(id);
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
      link: null, // set by `cite`
      alsoPublishedBy: [],
      score: round(score),
      relevance: round(relevance),
      quote: text.slice(window.start, window.end),
      start: window.start,
      end: window.end,
      ...marked,
    };
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
