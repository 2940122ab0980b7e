/**
 * How a question about an article itself ("who wrote …", "when was … published") is answered, and
 * the rule that results never repeat: helpers of `Answerer.ask()`.
 */
import type { AnswerResult, CorpusDocument, DocumentMeta, MetadataField } from '../core/types.js';
import { metadataLine } from './about-article.js';

/**
 * The result for a question about its article: the line of the text that states the asked field
 * (byline, dateline, source line) as the quote; when no line of the text states it but the metadata
 * knows it (front matter, metadata.json), the field itself without a quote (front matter is never
 * quoted). A document whose metadata lacks the field keeps its passage.
 */
export function answerFromMetadata(
  result: AnswerResult,
  text: string,
  doc: DocumentMeta & Pick<CorpusDocument, 'bodyStart'>,
  field: MetadataField,
): AnswerResult {
  if (!doc[field]) return result;
  const line = metadataLine(text, doc, field);
  // The quote is replaced: an answer the reader marked in the passage no longer lies inside it.
  const { answer: _marked, ...rest } = result;
  if (line) return { ...rest, quote: text.slice(line.start, line.end), start: line.start, end: line.end };
  return { ...rest, quote: null, start: null, end: null, fromMetadata: field };
}

/**
 * Results (best first) without any that repeats an earlier one of the same document: an overlapping
 * span, or its metadata shown again. Two passages of one article become the same byline when the
 * question is about the article; only the first stays.
 */
export function withoutOverlaps(results: AnswerResult[]): AnswerResult[] {
  const kept: AnswerResult[] = [];
  for (const result of results) {
    if (!kept.some((earlier) => earlier.docId === result.docId && overlap(earlier, result))) kept.push(result);
  }
  return kept;
}

function overlap(a: AnswerResult, b: AnswerResult): boolean {
  if (a.start === null || a.end === null || b.start === null || b.end === null)
    return a.fromMetadata !== undefined && a.fromMetadata === b.fromMetadata;
  return a.start < b.end && b.start < a.end;
}
