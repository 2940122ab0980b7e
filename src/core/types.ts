/** Shared shapes of the pure core: documents, questions, answers, and the `QuoteEngine` the adapters (CLI, bot) talk to. */

export interface DocumentMeta {
  /** Path below the corpus folder without extension, with '/': "002_fd5b7e87bdf5c1a2", "bbc/2024/some-slug". */
  id: string;
  title: string;
  publisher: string | null;
  author: string | null;
  /** ISO date, YYYY-MM-DD. */
  date: string | null;
  url: string | null;
  /** The other copies of this article's story, earliest report first (absent or empty when it has none); see `AnswerResult.alsoPublishedBy`. */
  copies?: string[];
}

export interface CorpusDocument extends DocumentMeta {
  /** Absolute path of the source file. */
  path: string;
  /** The file text exactly as read from disk (UTF-8); every offset points into it. */
  text: string;
  /** Where the article's words start: past a Markdown front matter block (never quoted); absent or 0 without one. */
  bodyStart?: number;
}

/** Another copy of a story (the same text republished, or re-posted with a new headline), as a citation names it. */
export interface CopyOfArticle {
  docId: string;
  title: string;
  publisher: string | null;
  date: string | null;
  url: string | null;
}

/** A field of an article's metadata that a question can ask about ("who wrote …", "when was … published"). */
export type MetadataField = 'author' | 'date' | 'publisher';

/**
 * One quoted excerpt: `quote === document.text.slice(start, end)`. A question about the article
 * itself whose text states nothing of the asked field gets the field instead: `quote`, `start`
 * and `end` are null, and `fromMetadata` names the field that answers.
 */
export interface AnswerResult {
  rank: number;
  docId: string;
  title: string;
  publisher: string | null;
  author: string | null;
  date: string | null;
  url: string | null;
  /** `url` with a text fragment that opens the page at the quoted words (text-fragment.ts); `url` itself when no fragment can be trusted, null without a URL. */
  link: string | null;
  /** The other copies of this article's story (near-duplicates found at ingest), earliest report first; empty when it has none. */
  alsoPublishedBy: CopyOfArticle[];
  /** The estimated chance that the quote holds the answer (0–1); results are ordered by it. */
  score: number;
  /** How close the passage is to the question in absolute terms (primary-model cosine, −1–1): "not covered" is decided on it. */
  relevance: number;
  quote: string | null;
  start: number | null;
  end: number | null;
  /** Set only on a result without a quote: the metadata field (author, date, publisher) that answers. */
  fromMetadata?: MetadataField;
  /** Where the quote reader places the answer inside the quote, as file offsets (`text.slice(start, end)`); absent when it marks none. */
  answer?: { start: number; end: number };
}

export interface Answer {
  question: string;
  answered: boolean;
  results: AnswerResult[];
  /** When not answered: the documents that came closest, best first (for a "not covered" reply). */
  nearest: Array<Pick<DocumentMeta, 'id' | 'title'> & { relevance: number }>;
}

export interface AskOptions {
  /** How many results (default and bounds in ask-options.ts). */
  k?: number;
  /** Allow more than one result per document. */
  allowSameDocument?: boolean;
  /**
   * The text states a claim to find sources for ("Find sources"), not a question: the quote reader,
   * trained to judge whether a sentence answers a question, does not judge it (scripts/claims-eval.ts).
   */
  claim?: boolean;
  /** Keep only documents whose publisher contains this text (case-insensitive). */
  publisher?: string;
  /** Keep only documents dated on or after / on or before this ISO date (both inclusive). */
  after?: string;
  before?: string;
  /** Keep only documents in this folder of the corpus (or its subfolders): a document id prefix such as "bbc/2024". */
  folder?: string;
  /** Never quote or name these documents (a server's hidden articles). */
  hiddenDocuments?: string[];
  /** Never quote or name documents of these publishers (exact name, case-insensitive). */
  hiddenPublishers?: string[];
  /** When given, each stage of answering adds its milliseconds here (the bench; filled only in the same thread). */
  timings?: StageTimings;
}

/** Milliseconds one question spent in each stage of answering (search/stage-timings.ts). */
export interface StageTimings {
  /** The question's vector under every model. */
  embed: number;
  /** The primary model's nearest chunks (HNSW, or pgvector). */
  firstStage: number;
  /** Vector rows of the candidates' chunks and sentences (page cache or disk). */
  rows: number;
  /** BM25 over chunks and over sentences. */
  bm25: number;
  /** The quote reader's forward pass. */
  reader: number;
  /** The answer marker's forward pass over the quoted sentences (after the reader chose them). */
  marker: number;
}

/** What adapters talk to: a loaded corpus + index + model. */
export interface QuoteEngine {
  /** Retrieve and quote. Never throws for "no answer": returns `answered: false` with `nearest`. */
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /** All documents' metadata, ordered by id. */
  documents(): DocumentMeta[];
  getDocument(id: string): CorpusDocument | undefined;
  /** Reload if the index on disk changed since it was loaded; true when it reloaded. */
  refresh(): Promise<boolean>;
}
