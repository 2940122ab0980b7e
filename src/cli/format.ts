import { visibleControls } from '../core/terminal-text.js';
import { NOT_QUOTED_NOTE, byline, metadataStatement } from '../core/metadata-statement.js';
import type { Answer, AnswerResult } from '../core/types.js';

/** The stable `ask --json` shape: exactly these keys, in this order (`closest`: the articles nearest a question not covered). */
export function answerToJson(answer: Answer): string {
  return JSON.stringify({
    question: answer.question,
    answered: answer.answered,
    results: answer.results.map(({ rank, docId, title, publisher, author, date, url, score, relevance, quote, start, end }) => ({
      rank,
      docId,
      title,
      publisher,
      author,
      date,
      url,
      score,
      relevance,
      quote,
      start,
      end,
    })),
    // What the text mode lists under "Closest articles": empty when answered.
    closest: answer.nearest.map(({ id, title, relevance }) => ({ docId: id, title, relevance })),
  });
}

/** A readable answer for a person at a terminal; control characters of the articles are shown, never sent. */
export function answerToText(answer: Answer): string {
  return visibleControls(readableAnswer(answer));
}

function readableAnswer(answer: Answer): string {
  if (!answer.answered) {
    const nearest = answer.nearest.map((doc) => `  - ${doc.title} (${doc.id})`).join('\n');
    return `The articles do not cover this question.${nearest ? `\nClosest articles:\n${nearest}` : ''}\n`;
  }
  return answer.results
    .map((result) => {
      const attribution = [byline(result.author), result.publisher, result.date, result.docId].filter(Boolean).join(' · ');
      return `${result.rank}. ${shownText(result)}\n   — ${result.title}\n     ${attribution}${result.url ? `\n     ${result.url}` : ''}`;
    })
    .join('\n\n')
    .concat('\n');
}

/** The quote on one line, or the metadata that answers when the text states nothing (never in quotation marks). */
function shownText(result: AnswerResult): string {
  const statement = metadataStatement(result);
  if (statement) return `${statement.label}: ${statement.value} (${NOT_QUOTED_NOTE})`;
  return `“${(result.quote ?? '').replace(/\s*\n\s*/g, ' ')}”`;
}
