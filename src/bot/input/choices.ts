import { createHash } from 'node:crypto';
import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { DocumentMeta } from '../../core/types.js';
import { DISCORD_LIMITS } from '../render/limits.js';
import { truncate } from '../render/markdown.js';

/** Autocomplete over the corpus: case-insensitive substring of title or id, at most 25 choices. */
export function documentChoices(documents: readonly DocumentMeta[], typed: string): Array<ApplicationCommandOptionChoiceData<string>> {
  const needle = typed.trim().toLowerCase();
  return documents
    .filter((doc) => doc.title.toLowerCase().includes(needle) || doc.id.toLowerCase().includes(needle))
    .slice(0, DISCORD_LIMITS.autocompleteChoices)
    .map((doc) => ({ name: choiceName(doc), value: choiceValue(doc.id) }));
}

/**
 * What a choice sends back: the id itself when it fits Discord's 100 characters, else a stable short
 * form ("#" and 16 hex digits of its hash) that `findDocument` resolves. Ids of nested folders can be long.
 */
export function choiceValue(id: string): string {
  return id.length <= DISCORD_LIMITS.choiceName ? id : `#${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
}

/** Autocomplete over the corpus's distinct publishers. */
export function publisherChoices(documents: readonly DocumentMeta[], typed: string): Array<ApplicationCommandOptionChoiceData<string>> {
  const needle = typed.trim().toLowerCase();
  const publishers = [...new Set(documents.map((doc) => doc.publisher).filter((p): p is string => Boolean(p)))];
  return publishers
    .filter((publisher) => publisher.toLowerCase().includes(needle))
    .sort((a, b) => a.localeCompare(b))
    .slice(0, DISCORD_LIMITS.autocompleteChoices)
    .map((publisher) => {
      const name = truncate(publisher, DISCORD_LIMITS.choiceName);
      return { name, value: name };
    });
}

/** `Title — Publisher, date`, within Discord's 100 characters; the title keeps as much room as it can. */
function choiceName(doc: DocumentMeta): string {
  const details = [doc.publisher, doc.date].filter((part): part is string => Boolean(part)).join(', ');
  const suffix = details ? truncate(` — ${details}`, 40) : '';
  return truncate(doc.title, DISCORD_LIMITS.choiceName - suffix.length) + suffix;
}

/**
 * The document a /source option names: normally an id picked from autocomplete, but a typed title
 * (or a distinctive part of one) works too when it matches exactly one article.
 */
export function findDocument(documents: readonly DocumentMeta[], wanted: string): DocumentMeta | undefined {
  const needle = wanted.trim().toLowerCase();
  if (!needle) return undefined;
  const byId = documents.find((doc) => doc.id.toLowerCase() === needle);
  if (byId) return byId;
  if (/^#[0-9a-f]{16}$/.test(needle)) return documents.find((doc) => choiceValue(doc.id) === needle);
  const exact = documents.filter((doc) => doc.title.toLowerCase() === needle);
  if (exact.length === 1) return exact[0];
  const partial = documents.filter((doc) => doc.title.toLowerCase().includes(needle));
  return partial.length === 1 ? partial[0] : undefined;
}
