import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { DocumentMeta } from '../../core/types.js';
import { folderOf } from '../../corpus/files.js';
import { DISCORD_LIMITS } from '../render/limits.js';
import { publisherChoices } from './choices.js';

/** What /sources narrows the list to: a folder of the corpus (and its subfolders), a publisher. */
export interface SourceFilter {
  folder?: string;
  publisher?: string;
}

/** The longest filter key a pager button can carry inside Discord's 100-character custom id. */
const MAX_KEY = 70;

export function filterDocuments(documents: readonly DocumentMeta[], filter: SourceFilter): DocumentMeta[] {
  const folder = filter.folder?.replace(/^\/+|\/+$/g, '');
  const publisher = filter.publisher?.trim().toLowerCase();
  return documents.filter(
    (doc) => (!folder || doc.id.startsWith(`${folder}/`)) && (!publisher || (doc.publisher ?? '').toLowerCase().includes(publisher)),
  );
}

/** Every folder that holds documents, at any depth ("bbc", "bbc/2024"), matching what was typed. */
export function folderChoices(documents: readonly DocumentMeta[], typed: string): Array<ApplicationCommandOptionChoiceData<string>> {
  const needle = typed.trim().toLowerCase();
  const folders = new Set<string>();
  for (const doc of documents) {
    const parts = folderOf(doc.id).split('/').filter(Boolean);
    parts.forEach((_, i) => folders.add(parts.slice(0, i + 1).join('/')));
  }
  return [...folders]
    .filter((folder) => folder.length <= DISCORD_LIMITS.choiceName && folder.toLowerCase().includes(needle))
    .sort()
    .slice(0, DISCORD_LIMITS.autocompleteChoices)
    .map((folder) => ({ name: folder, value: folder }));
}

/** Autocomplete for a `folder` or a `publisher` option (/sources, /settings channel). */
export function scopeChoices(
  documents: readonly DocumentMeta[],
  focused: { name: string; value: string },
): Array<ApplicationCommandOptionChoiceData<string>> {
  return focused.name === 'folder' ? folderChoices(documents, focused.value) : publisherChoices(documents, focused.value);
}

/** How a filter reads in a footer: `folder bbc/2024 · publisher "bbc"`. */
export function describeFilter(filter: SourceFilter): string[] {
  return [filter.folder ? `folder ${filter.folder}` : null, filter.publisher ? `publisher "${filter.publisher}"` : null].filter(
    (part): part is string => part !== null,
  );
}

/**
 * The filter as a pager button key: "all" without one, else base64url JSON (no ":" separators).
 * Null when it is too long for a custom id: the list then has no pager.
 */
export function encodeFilterKey(filter: SourceFilter): string | null {
  if (!filter.folder && !filter.publisher) return 'all';
  const key = Buffer.from(JSON.stringify([filter.folder ?? '', filter.publisher ?? ''])).toString('base64url');
  return key.length <= MAX_KEY ? key : null;
}

export function decodeFilterKey(key: string | undefined): SourceFilter {
  if (!key || key === 'all') return {};
  try {
    const [folder, publisher] = JSON.parse(Buffer.from(key, 'base64url').toString('utf8')) as [unknown, unknown];
    return {
      folder: typeof folder === 'string' && folder ? folder : undefined,
      publisher: typeof publisher === 'string' && publisher ? publisher : undefined,
    };
  } catch {
    return {};
  }
}
