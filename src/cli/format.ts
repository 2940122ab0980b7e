import { copiesLine } from '../core/citation.js';
import { byline, metadataStatement, NOT_QUOTED_NOTE } from '../core/metadata-statement.js';
import { visibleControls } from '../core/terminal-text.js';
import type { Answer, AnswerResult } from '../core/types.js';

/** The stable `ask --json` shape: exactly these keys, in this order (`closest`: the articles nearest a question not covered). */
export function answerToJson(answer: Answer): string {
  return JSON.stringify({
    question: answer.question,
    answered: answer.answered,
    results: answer.results.map(
      ({ rank, docId, title, publisher, author, date, url, link, alsoPublishedBy, score, relevance, quote, start, end, answer }) => ({
        rank,
        docId,
        title,
        publisher,
        author,
        date,
        url,
        link,
        alsoPublishedBy,
        score,
        relevance,
        quote,
        start,
        end,
        ...(answer ? { answer } : {}),
      }),
    ),
    // What the text mode lists under "Closest articles": empty when answered.
    closest: answer.nearest.map(({ id, title, relevance }) => ({ docId: id, title, relevance })),
  });
}

/**
 * A readable answer for a person at a terminal; control characters of the articles are shown, never
 * sent. With `bold` (stdout is a terminal) the answer the reader marked inside a quote is in bold.
 */
export function answerToText(answer: Answer, { bold = false }: { bold?: boolean } = {}): string {
  // The marks are private-use characters placed after the article's own were removed, and become
  // the terminal's bold codes only after every control character of the text was made visible.
  const shown = visibleControls(readableAnswer(answer));
  return shown.replace(/\uE000/g, bold ? '\x1b[1m' : '').replace(/\uE001/g, bold ? '\x1b[22m' : '');
}

function readableAnswer(answer: Answer): string {
  if (!answer.answered) {
    const nearest = answer.nearest.map((doc) => `  - ${doc.title} (${doc.id})`).join('\n');
    return `The articles do not cover this question.${nearest ? `\nClosest articles:\n${nearest}` : ''}\n`;
  }
  return answer.results
    .map((result) => {
      const attribution = [byline(result.author), result.publisher, result.date, result.docId].filter(Boolean).join(' · ');
      const copies = copiesLine(result);
      return `${result.rank}. ${shownText(result)}\n   — ${result.title}\n     ${attribution}${copies ? `\n     ${copies}` : ''}${result.link ? `\n     ${result.link}` : ''}`;
    })
    .join('\n\n')
    .concat('\n');
}

/** The quote on one line, or the metadata that answers when the text states nothing (never in quotation marks). */
function shownText(result: AnswerResult): string {
  const statement = metadataStatement(result);
  if (statement) return `${statement.label}: ${statement.value} (${NOT_QUOTED_NOTE})`;
  const quote = (result.quote ?? '').replace(/[\uE000\uE001]/g, '');
  const answer =
    result.answer && result.start !== null && result.quote === quote
      ? { start: result.answer.start - result.start, end: result.answer.end - result.start }
      : null;
  const marked = answer
    ? `${quote.slice(0, answer.start)}\uE000${quote.slice(answer.start, answer.end)}\uE001${quote.slice(answer.end)}`
    : quote;
  return `“${marked.replace(/\s*\n\s*/g, ' ')}”`;
}
