/**
 * The kind of answer a question asks for, read from its wh-word ("how many" wants a number,
 * "when" a date, "who" a name), and whether a sentence holds something of that kind that the
 * question does not already say. A sentence that cannot hold the answer is a poor quote however
 * similar it is to the question: this is one of the signals passage selection weighs.
 */
export type AnswerType = 'number' | 'date' | 'name';

const ASKS_FOR: Array<{ type: AnswerType; pattern: RegExp }> = [
  {
    type: 'number',
    pattern: /\b(how (many|much|long|far|old|large|big|high|tall|often)|what (percentage|percent|number|amount|proportion|fraction))\b/i,
  },
  {
    type: 'date',
    pattern: /\b(when|what (year|century|decade|month|day|date)|which (year|century|decade|month|day)|since when|until when)\b/i,
  },
  { type: 'name', pattern: /\b(who|whom|whose|where)\b/i },
];

const MONTH =
  /\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\b/i;
const NUMBER_WORD =
  /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half)\b/i;
const CENTURY = /\b(century|decade|\d{2,4}s)\b/i;

export function expectedAnswerType(question: string): AnswerType | null {
  return ASKS_FOR.find(({ pattern }) => pattern.test(question))?.type ?? null;
}

/** 1 when the sentence holds an answer of the type (not just words the question already has), else 0. */
export function holdsAnswerType(sentence: string, type: AnswerType, question: string): number {
  const asked = new Set(question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const fresh = (word: string) => !asked.has(word.toLowerCase());
  switch (type) {
    case 'number':
      return (sentence.match(/\d+(?:[.,]\d+)*/g) ?? []).some(fresh) || (NUMBER_WORD.test(sentence) && fresh(NUMBER_WORD.exec(sentence)![0]))
        ? 1
        : 0;
    case 'date':
      return (sentence.match(/\b\d{3,4}\b/g) ?? []).some(fresh) ||
        (MONTH.test(sentence) && fresh(MONTH.exec(sentence)![0])) ||
        CENTURY.test(sentence)
        ? 1
        : 0;
    case 'name': {
      // A capitalised word that is not the sentence's first word and not in the question.
      const words = sentence.match(/(?<=\s)\p{Lu}[\p{L}'’-]+/gu) ?? [];
      return words.some(fresh) ? 1 : 0;
    }
  }
}
