import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { normalizeDate } from '../core/dates.js';
import type { DocumentMeta } from '../core/types.js';
import { plainHttpUrl } from '../core/urls.js';

/** What a front matter block gives: only the fields it sets, each valid. */
export type FrontMatterMeta = Partial<Omit<DocumentMeta, 'id' | 'copies'>>;

export interface FrontMatter {
  /** Where the article's own text starts: just past the closing `---` line, or 0 without a block. */
  bodyStart: number;
  meta: FrontMatterMeta;
  /** Identifies an imported article when it has no URL (see src/import/write.ts). */
  sourceKey: string | null;
  /** Where an imported article came from (see src/import/origin.ts); null for files written by hand or imported before it was recorded. */
  origin: string | null;
  /** Why the block (or some of its fields) was not used; null when all of it was. */
  warning: string | null;
}

/** `---` on the first line (after an optional byte-order mark), closed by a `---` or `...` line. */
const OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m;

const text = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1, 'must not be empty'));
const people = z.union([
  text,
  z
    .array(text)
    .min(1)
    .transform((names) => names.join(', ')),
]);
const date = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const iso = normalizeDate(value);
  if (!iso) ctx.addIssue({ code: 'custom', message: `"${String(value)}" is not a date (use YYYY-MM-DD)` });
  return iso ?? z.NEVER;
});
const url = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^\s]+$/i.test(value) && URL.canParse(value), 'must be an http(s) URL')
  // Credentials would be shown as the reply's title link.
  .refine((value) => plainHttpUrl(value) !== null, 'must not carry a user name or password');

/** Each field is checked on its own, so one bad value does not cost the others. Unknown fields are ignored. */
const FIELDS = { title: text, publisher: text, author: people, date, url, source_key: text, origin: text } as const;

/**
 * Read a YAML front matter block at the top of a Markdown file. Offsets are not changed: the block stays
 * in the text, and `bodyStart` says where the quotable part begins. A malformed block is a warning, never
 * an exception: the file then loads with what its text tells.
 */
export function readFrontMatter(source: string): FrontMatter {
  const none: FrontMatter = { bodyStart: 0, meta: {}, sourceKey: null, origin: null, warning: null };
  const opening = OPENING.exec(source);
  if (!opening) return none;
  const rest = source.slice(opening[0].length);
  const closing = CLOSING.exec(rest);
  if (!closing) return { ...none, warning: 'front matter ignored: no closing "---" line' };
  const bodyStart = opening[0].length + closing.index + closing[0].length;
  const yaml = rest.slice(0, closing.index);

  let data: unknown;
  try {
    data = parseYaml(yaml, { prettyErrors: false, uniqueKeys: true, maxAliasCount: 50 }) ?? {};
  } catch (error) {
    return { ...none, bodyStart, warning: `front matter ignored: invalid YAML (${firstLine(error)})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ...none, bodyStart, warning: 'front matter ignored: it is not a list of "field: value" lines' };
  }

  const values = data as Record<string, unknown>;
  const meta: FrontMatterMeta = {};
  let sourceKey: string | null = null;
  let origin: string | null = null;
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(FIELDS)) {
    const value = values[name];
    if (value === undefined || value === null || value === '') continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      problems.push(`${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      continue;
    }
    if (name === 'source_key') sourceKey = parsed.data;
    else if (name === 'origin') origin = parsed.data;
    else meta[name as keyof FrontMatterMeta] = parsed.data;
  }
  return {
    bodyStart,
    meta,
    sourceKey,
    origin,
    warning: problems.length > 0 ? `front matter fields ignored: ${problems.join('; ')}` : null,
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/:$/, '');
}
