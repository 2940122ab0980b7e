import type { QuoteReader } from '../embedding/reader.js';
import type { Span } from '../text/sentences.js';
import type { Passage } from './quote-selection.js';
import { readerContext } from './reader-context.js';

/** What marking needs of a passage's document: its title and its sentences (for the reader's context). */
export type MarkedDocument = (docId: string) => { title: string; sentences: { at(i: number): Span | undefined } };

/**
 * The answer the answer marker places in the best-read sentence of each of the first `limit`
 * passages (reader.ts `mark`), in place of the reader's own span head's: the marker reads only
 * these few sentences, with the context the reader read them with. Other passages, and those the
 * reader did not read, carry no mark. Without a marker, the reader's own marks stay.
 */
export async function markAnswers(
  reader: QuoteReader | undefined,
  question: string,
  passages: Passage[],
  limit: number,
  documentOf: MarkedDocument,
): Promise<Passage[]> {
  const read = passages.slice(0, limit).filter((passage) => passage.answerSentence !== null);
  if (!reader?.marks) return passages;
  const rows = read.map(({ docId, text, answerSentence }) => {
    const { title, sentences } = documentOf(docId);
    const { start, end } = sentences.at(answerSentence!)!;
    return { start, text: text.slice(start, end), context: readerContext(title, text, sentences, answerSentence!) };
  });
  const marks = await reader.mark(
    question,
    rows.map((row) => row.text),
    rows.map((row) => row.context),
  );
  const marked = new Map(
    read.map((passage, n) => {
      const mark = marks[n];
      return [passage, mark ? { start: rows[n]!.start + mark.start, end: rows[n]!.start + mark.end } : null];
    }),
  );
  return passages.map((passage) => ({ ...passage, answer: marked.get(passage) ?? null }));
}
