import type { Answer } from '../core/types.js';
import { type Embedders, loadEmbedders, type ProgressCallback } from '../embedding/embedder.js';
import { modelSpec } from '../embedding/models.js';
import { Answerer, type AnswererSettings, DEFAULT_ANSWERER_SETTINGS } from '../search/answerer.js';
import { sentenceScore } from '../search/passages.js';
import { QUOTE_WEIGHTS } from '../search/quote-weights.js';
import { readerContext } from '../search/reader-context.js';
import { indexInCache, serveIndex } from './cached-index.js';
import { mean } from './metrics.js';
import { containsAnswer, fixedSample, type QaArticle, type QaQuestion, tokenF1 } from './squad.js';

export interface QaOptions {
  model: string;
  rerankModels: string[];
  modelsDir?: string;
  /** Folder of the quote reader (null or unset: none). */
  reader?: string | null;
  cacheDir: string;
  /** Questions per part (a fixed subset); all when unset. */
  sample?: number;
  onProgress?: (label: string) => ProgressCallback;
  /** Override retrieval settings (used to fit the quote weights on the tuning part). */
  settings?: Partial<AnswererSettings>;
  /** Name of the cached index (another set of articles gets its own). */
  indexName?: string;
  /** Models already loaded (a second index over other articles shares them); loaded from the options when unset. */
  embedders?: Embedders;
}

export interface QaResult {
  questions: number;
  right_article_at_1: number;
  answer_in_top1_quote: number;
  answer_in_top3_quotes: number;
  mean_top1_quote_chars: number;
  /** Answerable questions the bot called "not covered". */
  not_covered: number;
  /** Mean SQuAD token F1 of the answer marked inside the first quote against the gold answers, over first quotes that hold an answer and carry a mark (null: none marked). */
  marked_answer_f1: number | null;
  ms_per_question: number;
}

/** One question's outcome, kept for the summary and for tuning. */
export interface QaOutcome {
  question: QaQuestion;
  answer: Answer;
  ms: number;
}

/**
 * Question answering through the bot's own pipeline: every article of the set is indexed together
 * (in its own cache folder, keyed by content; the manifest inside keys it by models and settings),
 * and each question goes through the same `Answerer.ask` that `ask` and the bot call.
 */
export async function openQaAnswerer(articles: QaArticle[], options: QaOptions): Promise<{ answerer: Answerer; embedders: Embedders }> {
  const opened = await openQaIndex(articles, options);
  return { answerer: opened.answerer(options.settings), embedders: opened.embedders };
}

/** The indexed articles and loaded models, from which answerers with other settings are made (for tuning). */
export async function openQaIndex(articles: QaArticle[], options: QaOptions) {
  const embedders = options.embedders ?? (await loadEmbedders(options));
  const { corpus, index } = await indexInCache(
    articles.map((article) => article.document),
    embedders,
    { dir: options.cacheDir, name: options.indexName ?? 'qa', folder: 'qa' },
    options.onProgress?.('indexing the QA articles'),
  );
  const { view, documents } = await serveIndex(index, corpus, options);
  const defaults = { ...DEFAULT_ANSWERER_SETTINGS, minRelevance: modelSpec(options.model).minRelevance };
  const articleById = new Map(articles.map(({ document }) => [document.id, document]));
  return {
    index,
    embedders,
    answerer: (settings: Partial<AnswererSettings> = {}) => new Answerer(view, documents, embedders, { ...defaults, ...settings }),
    /**
     * A question's candidate sentences as quote selection weighs them before the reader: every
     * sentence of the first stage's best documents with its fitted score (`base`) and what the
     * reader reads before it, best first. What the reader is trained on
     * (training/reader/candidates.ts) and its weights are fitted on (scripts/tune-reader.ts).
     */
    async candidateSentences(probe: Answerer, question: string): Promise<CandidateSentence[]> {
      const { queries, candidates } = await probe.firstStage(question);
      const rows: CandidateSentence[] = [];
      for (const { docId, signals } of await probe.sentenceSignals(question, queries, candidates, 3)) {
        const { sentences } = index.documents.get(docId)!;
        const { title, text } = articleById.get(docId)!;
        for (const [i, s] of signals) {
          const { start, end } = sentences.at(i)!;
          rows.push({
            docId,
            text: text.slice(start, end),
            context: readerContext(title, text, sentences, i),
            base: sentenceScore(s, QUOTE_WEIGHTS),
          });
        }
      }
      return rows.sort((a, b) => b.base - a.base);
    },
  };
}

/** One candidate sentence of a question (`openQaIndex(…).candidateSentences`). */
export interface CandidateSentence {
  docId: string;
  text: string;
  /** What the reader reads before it (readerContext). */
  context: string;
  /** Its score by the fitted signals alone (QUOTE_WEIGHTS). */
  base: number;
}

export async function askAll(answerer: Answerer, questions: QaQuestion[]): Promise<QaOutcome[]> {
  const outcomes: QaOutcome[] = [];
  for (const question of questions) {
    const started = performance.now();
    const answer = await answerer.ask(question.question, { k: 3 });
    outcomes.push({ question, answer, ms: performance.now() - started });
  }
  return outcomes;
}

/**
 * Questions the corpus cannot answer because it is about other subjects: one part's questions asked
 * over the other part's articles alone (other Wikipedia articles). Every answer is a wrong one.
 */
export async function otherSubjects(articles: QaArticle[], questions: QaQuestion[], options: QaOptions) {
  const asked = new Set(questions.map((q) => q.docId));
  const others = articles.filter((article) => !asked.has(article.document.id));
  const { answerer } = await openQaAnswerer(others, { ...options, indexName: 'qa-other-subjects' });
  const outcomes = await askAll(answerer, questions);
  const answered = outcomes.filter((o) => o.answer.answered).length;
  return { articles: others.length, questions: outcomes.length, answered, answered_share: round(answered / Math.max(outcomes.length, 1)) };
}

export function summarise(outcomes: QaOutcome[]): QaResult {
  const rate = (hit: (o: QaOutcome) => boolean) => round(outcomes.filter(hit).length / Math.max(outcomes.length, 1));
  const topDoc = ({ answer }: QaOutcome) => answer.results[0]?.docId ?? answer.nearest[0]?.id;
  return {
    questions: outcomes.length,
    right_article_at_1: rate((o) => topDoc(o) === o.question.docId),
    answer_in_top1_quote: rate(({ answer, question }) => answer.results.slice(0, 1).some((r) => containsAnswer(r.quote, question.answers))),
    answer_in_top3_quotes: rate(({ answer, question }) =>
      answer.results.slice(0, 3).some((r) => containsAnswer(r.quote, question.answers)),
    ),
    mean_top1_quote_chars: Math.round(
      mean(outcomes.filter((o) => o.answer.results.length > 0).map((o) => (o.answer.results[0]!.quote ?? '').length)),
    ),
    not_covered: outcomes.filter((o) => !o.answer.answered).length,
    marked_answer_f1: markedAnswerF1(outcomes),
    ms_per_question: Number(mean(outcomes.map((o) => o.ms)).toFixed(1)),
  };
}

function markedAnswerF1(outcomes: QaOutcome[]): number | null {
  const scores: number[] = [];
  for (const { answer, question } of outcomes) {
    const first = answer.results[0];
    if (!first?.answer || first.quote === null || first.start === null || !containsAnswer(first.quote, question.answers)) continue;
    const marked = first.quote.slice(first.answer.start - first.start, first.answer.end - first.start);
    scores.push(Math.max(...question.answers.map((gold) => tokenF1(marked, gold))));
  }
  return scores.length > 0 ? round(mean(scores)) : null;
}

/** Both parts, each a fixed sample when asked. */
export function questionsByPart(articles: QaArticle[], sample?: number): { tuning: QaQuestion[]; validation: QaQuestion[] } {
  const of = (part: QaArticle['part']) =>
    fixedSample(
      articles.filter((a) => a.part === part).flatMap((a) => a.questions),
      sample,
    );
  return { tuning: of('tuning'), validation: of('validation') };
}

function round(value: number): number {
  return Number(value.toFixed(4));
}
