/**
 * The names and numbers a question asks about, and whether an article mentions them. An article on
 * the question's subject that never names what the question names cannot answer it: "When did
 * Lavrov visit Japan?" over an archive that never mentions Japan, or "Who won the 2022 final?" over
 * one that holds the 2004 final. The reader alone often quotes such an article (abstention.ts).
 *
 * A name is a word the question writes with a capital letter after its first word ("Japan",
 * "Díaz-Canel", "NFL"), or a word with a digit ("2022", "19th", "1930s"). Matching forgives what
 * a question often changes: case and accents; plurals, possessives and endings ("Broncos" and
 * "Bronco's", "Japan" and "Japanese": a name of five letters or more matches any word that starts
 * with all but its last two); the endings of demonyms and languages ("Italian" is of Italy,
 * "Chinese" of China, "Israeli" of Israel: the place is the name without -ian, -ese, -ish, -an or
 * -i, when four letters or more are left); ordinals and decades ("19th" is "19", "1930s" is
 * "1930"). Numbers match whole: 2023 is not 2028.
 */
import { foldAccentsAndCase } from '../text/terms.js';

/** Words too common to name anything, even written with a capital ("The Mark of Anarchy"). */
const COMMON = new Set(
  'a an and as at by for from in into is it its of on or the to with was were what when where which who whom why how'.split(' '),
);

/** The question's names, folded, each once (the module comment says what counts). */
export function questionNames(question: string): string[] {
  const names = new Set<string>();
  const words = question.trim().split(/\s+/);
  words.forEach((word, i) => {
    const capitalised = i > 0 && /^[^\p{L}\p{N}]*\p{Lu}/u.test(word);
    if (!capitalised && !/\p{N}/u.test(word)) return;
    for (const [part] of foldAccentsAndCase(word).matchAll(/[\p{L}\p{N}]+/gu)) {
      const name = /\d/.test(part) ? part.replace(/(st|nd|rd|th|s)$/, '') : part;
      if (name.length >= 2 && !COMMON.has(name)) names.add(name);
    }
  });
  return [...names];
}

/**
 * Whether `folded` (text through foldAccentsAndCase) mentions `name` (letters and digits only, as
 * questionNames gives it) as this module matches names.
 */
export function mentions(folded: string, name: string): boolean {
  const pattern = /\d/.test(name)
    ? new RegExp(`(?:^|[^\\p{L}\\p{N}])${name}(?!\\p{N})`, 'u')
    : new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${wordStarts(name).join('|')})`, 'u');
  return pattern.test(folded);
}

/** A demonym's or language's ending, after its place's name. */
const DEMONYM_ENDING = /(?:ian|ese|ish|an|i)$/;

/** How a word that mentions `name` (letters only) may start (the module comment says why). */
function wordStarts(name: string): string[] {
  const starts = [name.length >= 5 ? name.slice(0, Math.max(4, name.length - 2)) : name];
  const place = name.replace(DEMONYM_ENDING, '');
  if (place !== name && place.length >= 4) starts.push(place);
  return starts;
}

/**
 * For one question, whether an article's text lacks one of its names (false when the question names
 * nothing). Each text is folded once, however many of its passages are asked about.
 */
export function lacksQuestionNames(question: string): (text: string) => boolean {
  const names = questionNames(question);
  const seen = new Map<string, boolean>();
  return (text) => {
    if (names.length === 0) return false;
    let lacks = seen.get(text);
    if (lacks === undefined) {
      const folded = foldAccentsAndCase(text);
      lacks = names.some((name) => !mentions(folded, name));
      seen.set(text, lacks);
    }
    return lacks;
  };
}
