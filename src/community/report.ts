import { tokenize } from '../text/terms.js';
import type { ReportData } from './store.js';

/**
 * Two unanswered questions whose stemmed content words (the BM25 tokenizer's terms) overlap this much
 * (Jaccard: shared over all) are one group: "How much wheat did Russia send to Cuba?" and "russia
 * cuba how much wheat send" are (5 of 5), "How much oil did Russia send to Cuba?" is not (4 of 6, 0.67).
 */
export const NEAR_DUPLICATE_JACCARD = 0.75;

export interface QuestionGroup {
  /** The group's most recent wording. */
  question: string;
  count: number;
  /** Links to the messages, newest first (at most `maxLinks`). */
  links: string[];
}

export interface Report {
  days: number;
  asked: number;
  answered: number;
  /** answered / asked, or null with no questions. */
  answeredShare: number | null;
  notCovered: QuestionGroup[];
  wrongQuotes: ReportData['wrongQuotes'];
  /** Articles by how often their quotes were marked wrong. */
  wrongArticles: Array<{ docId: string; count: number }>;
}

/** Groups near-duplicate questions (newest first in, largest group first out). */
export function groupQuestions(questions: ReadonlyArray<{ question: string; messageUrl: string | null }>, maxLinks = 3): QuestionGroup[] {
  const groups: Array<QuestionGroup & { terms: Set<string> }> = [];
  for (const { question, messageUrl } of questions) {
    const terms = new Set(tokenize(question));
    const key = question.trim().toLowerCase();
    const group = groups.find((candidate) =>
      terms.size === 0 ? candidate.question.trim().toLowerCase() === key : jaccard(candidate.terms, terms) >= NEAR_DUPLICATE_JACCARD,
    );
    if (group) {
      group.count += 1;
      if (messageUrl && group.links.length < maxLinks) group.links.push(messageUrl);
    } else {
      groups.push({ question, count: 1, links: messageUrl ? [messageUrl] : [], terms });
    }
  }
  return groups.sort((a, b) => b.count - a.count).map(({ question, count, links }) => ({ question, count, links }));
}

export function buildReport(data: ReportData, days: number): Report {
  const byArticle = new Map<string, number>();
  for (const quote of data.wrongQuotes) byArticle.set(quote.docId, (byArticle.get(quote.docId) ?? 0) + quote.count);
  return {
    days,
    asked: data.asked,
    answered: data.answered,
    answeredShare: data.asked === 0 ? null : data.answered / data.asked,
    notCovered: groupQuestions(data.notCovered),
    wrongQuotes: data.wrongQuotes,
    wrongArticles: [...byArticle]
      .map(([docId, count]) => ({ docId, count }))
      .sort((a, b) => b.count - a.count || a.docId.localeCompare(b.docId)),
  };
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}
