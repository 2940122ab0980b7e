import type { AnswererSettings } from './answerer.js';
import { overlap, questionTerms } from './overlap.js';
import type { Passage } from './quote-selection.js';

/** Words of a question that BM25 keeps but that ask rather than say ("how much wheat?" is about wheat). */
const QUANTITY_WORDS = ['much', 'many'];

/**
 * Whether a passage is worth quoting at all. Unless the reader read it, relevance decides (a
 * passage far from the question in absolute terms is noise), or the passage holding every word of
 * the query (a query of keywords, "wheat", which the reader does not read and whose cosine with a
 * sentence is low). When the reader read it:
 *   - the reader's logit below `refuseBelow` refuses a passage however close its topic: a passage
 *     about the subject that does not answer (the 2004 final for a question about 2022);
 *   - a passage whose article never mentions a name or number of the question (`lacksNames`,
 *     question-names.ts) counts as `namesMissingPenalty` logits less sure for all of the below: the
 *     article is on the subject but not on what the question names (Lavrov's visit to Cuba for a
 *     question about his visit to Japan), and only a confident reader outweighs that (a question
 *     may misspell a name, or write "TV" for "television");
 *   - a passage whose `score` (the estimated chance that it holds the answer) is under `minScore`
 *     is not worth quoting, whatever else says so;
 *   - a logit at or above `answerAbove` quotes it whatever its relevance: the reader found an answer;
 *   - in between, the reader is unsure, and relevance must clear the threshold by `relevanceMargin`:
 *     an encyclopedia article on another subject is as close to a question as 0.3–0.4, so the bare
 *     threshold quoted it for most questions that the archive does not cover;
 *   - and a passage that holds every word of the question (question words aside) is quoted:
 *     keyword questions ("tonnes of wheat") whose cosine is low but whose words the article has.
 */
export function covers(
  question: string,
  passage: Passage,
  settings: Pick<AnswererSettings, 'minRelevance' | 'abstention'>,
  idf: (term: string) => number,
  lacksNames = false,
): boolean {
  if (passage.reader === null) return passage.relevance >= settings.minRelevance || holdsEveryWord(question, passage, idf);
  const { refuseBelow, answerAbove, relevanceMargin, namesMissingPenalty, minScore } = settings.abstention;
  const reader = passage.reader - (lacksNames ? namesMissingPenalty : 0);
  if (reader < refuseBelow || passage.score < minScore) return false;
  if (reader >= answerAbove || passage.relevance >= settings.minRelevance + relevanceMargin) return true;
  return holdsEveryWord(question, passage, idf);
}

/** Whether the quote holds every word of the question that BM25 keeps, question words aside. */
function holdsEveryWord(question: string, passage: Passage, idf: (term: string) => number): boolean {
  const terms = questionTerms(question, idf, QUANTITY_WORDS);
  return terms.idf.size > 0 && overlap(terms, passage.text.slice(passage.window.start, passage.window.end)).coverage === 1;
}

/**
 * The reader reads only the best few sentences, so a lesser passage it did not read is judged on
 * relevance alone (`covers`). When the reader refused every passage it read, such a passage must not
 * answer in their place ("What did Díaz-Canel say about China?" quoted three unread sentences about
 * Cuba): it may only join one the reader let through. `shown` are the passages `covers` kept, out of
 * `all` the question's passages.
 */
export function withoutUnreadAlone(shown: Passage[], all: Passage[]): Passage[] {
  const readerRan = all.some((passage) => passage.reader !== null);
  return readerRan && !shown.some((passage) => passage.reader !== null) ? [] : shown;
}
