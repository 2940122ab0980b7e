import { metadataStatement, NOT_QUOTED_NOTE } from '../../core/metadata-statement.js';
import type { AnswerResult } from '../../core/types.js';
import { escapeSourceText, fitSourceText, truncate } from './markdown.js';

/**
 * A result's text for a reply, within `max` characters: its quote (`fitSourceText`: a blockquote
 * when `quoted`, else in “…”), or, for a result answered from the article's metadata, the field and
 * its value with a note that nothing is quoted (never dressed as a quote).
 */
export function resultText(result: AnswerResult, max: number, { quoted }: { quoted: boolean }): string {
  const statement = metadataStatement(result);
  if (statement) return truncate(`**${statement.label}:** ${escapeSourceText(statement.value)} *(${NOT_QUOTED_NOTE})*`, max);
  // The answer the reader marked inside the quote, in bold (offsets into the quote).
  const bold =
    result.answer && result.start !== null
      ? { start: result.answer.start - result.start, end: result.answer.end - result.start }
      : undefined;
  const quote = fitSourceText(result.quote ?? '', quoted ? max : max - 2, { quoted, bold });
  return quoted ? quote : `“${quote}”`;
}
