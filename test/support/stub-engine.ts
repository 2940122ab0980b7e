import type { Answer, AskOptions, CorpusDocument, QuoteEngine } from '../../src/core/types.js';

/** A hand-written QuoteEngine for unit tests: canned answers, recorded calls. */
export interface StubEngine extends QuoteEngine {
  asked: Array<{ question: string; options: AskOptions | undefined }>;
  refreshes: number;
}

export function corpusDocument(id: string, fields: Partial<CorpusDocument> = {}): CorpusDocument {
  return {
    id,
    title: `Title of ${id}`,
    publisher: 'The Daily Test',
    author: null,
    date: '2023-04-20',
    url: `https://news.example/${id}`,
    path: `/corpus/${id}.txt`,
    text: `Opening sentence of ${id}. A second sentence.`,
    ...fields,
  };
}

export function stubEngine(
  options: {
    documents?: CorpusDocument[];
    answer?: (question: string, askOptions?: AskOptions) => Answer | Promise<Answer>;
    refresh?: () => Promise<boolean>;
  } = {},
): StubEngine {
  const documents = options.documents ?? [corpusDocument('doc-1'), corpusDocument('doc-2')];
  const engine: StubEngine = {
    asked: [],
    refreshes: 0,
    async ask(question, askOptions) {
      engine.asked.push({ question, options: askOptions });
      return options.answer ? options.answer(question, askOptions) : { question, answered: false, results: [], nearest: [] };
    },
    documents: () => documents.map(({ id, title, publisher, author, date, url }) => ({ id, title, publisher, author, date, url })),
    getDocument: (id) => documents.find((doc) => doc.id === id),
    async refresh() {
      engine.refreshes += 1;
      return options.refresh ? options.refresh() : false;
    },
  };
  return engine;
}
