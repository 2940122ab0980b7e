/**
 * The people a byline names, without their job titles or outlets: "Tomasz Ferreira, Transport
 * Correspondent" is one person, and an author value's commas separate people (front matter
 * `author: Ana Ruiz, Tom Lee`), so a title left in would read as a second author.
 */

/** Words of a job title, desk or outlet: where a byline stops naming people. */
const NOT_A_NAME =
  /\b(correspondents?|editors?|reporters?|writers?|columnists?|journalists?|contributors?|producers?|analysts?|commentators?|critics?|photographers?|staff|bureau|desk|chief|senior|deputy|political|diplomatic|foreign|news|newsroom|press|agency|service|wire|team|online|digital|special)\b/i;
/** Lower-case particles of names: "Ana de la Cruz", "Ludwig van Beethoven", "Omar al-Sayed". */
const PARTICLE = /^(?:de|da|das|do|dos|du|del|della|der|den|di|la|le|van|von|ter|ten|bin|ibn|al|el|y|e|af|zu)$/u;
const PARTICLE_JOINED = /^(?:al|el|ad|ibn|bin|abu)-\p{Lu}[\p{L}'’-]*$/u;
/** A capitalised word ("Ferreira", "O'Brien", "Jean-Luc", "MCDONALD") or an initial ("J."). */
const NAME_WORD = /^\p{Lu}[\p{L}'’.-]*$/u;

/**
 * "By Tomasz Ferreira, Transport Correspondent" → "Tomasz Ferreira"; "Ana Ruiz and Tom Lee, Staff
 * Writers" → "Ana Ruiz, Tom Lee". Names are read up to the first part that is not one (a job title,
 * an outlet, "in Lisbon"); null when the byline names nobody ("By Staff Reporter", "By Reuters").
 */
export function bylineAuthors(byline: string): string | null {
  const names: string[] = [];
  // After a bar or a dash comes the outlet ("Jane Doe | The Daily Test"), never another person.
  const people = byline.split(/\s*\|\s*|\s[-–—]\s/)[0]!;
  for (const part of people.split(/\s*(?:,|;|\band\b|&)\s*/i)) {
    if (part === '') continue;
    // "Tomasz Ferreira in Lisbon" / "… for The Herald": the name, then where or for whom.
    const [name = '', rest] = part.split(/\s+(?:in|for|at|from)\s+/, 2);
    if (!isPersonName(name)) break;
    names.push(name);
    if (rest !== undefined) break;
  }
  return names.length > 0 ? names.join(', ') : null;
}

/** Two to five words, each capitalised or a particle, and no word of a job title or outlet. */
function isPersonName(text: string): boolean {
  const words = text.split(/\s+/);
  if (words.length < 2 || words.length > 5 || NOT_A_NAME.test(text)) return false;
  return words.every(
    (word, i) => NAME_WORD.test(word) || (i > 0 && (PARTICLE_JOINED.test(word) || (i < words.length - 1 && PARTICLE.test(word)))),
  );
}
