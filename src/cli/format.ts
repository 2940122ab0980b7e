import { visibleControls } from '../core/terminal-text.js';
import type { Answer } from '../core/types.js';

/** The stable `ask --json` shape: exactly these keys, in this order. */
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
      const attribution = [result.publisher, result.date, result.docId].filter(Boolean).join(' · ');
      const quote = result.quote.replace(/\s*\n\s*/g, ' ');
      return `${result.rank}. “${quote}”\n   — ${result.title}\n     ${attribution}${result.url ? `\n     ${result.url}` : ''}`;
    })
    .join('\n\n')
    .concat('\n');
}
