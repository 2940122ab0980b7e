import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { listCorpusFiles } from '../corpus/files.js';
import { readFrontMatter } from '../corpus/front-matter.js';
import type { ImportedArticle } from './article.js';
import { ImportError } from './errors.js';
import { sameOrigin } from './origin.js';
import { canonicalUrlKey, shortHash, slugify } from './slug.js';

export type WriteStatus = 'imported' | 'updated' | 'unchanged';

export interface WriteResult {
  status: WriteStatus;
  /** Path of the file below the output folder, with '/'. */
  file: string;
  /** What the report should add: the article replaced one from elsewhere, or was stored apart from what its page claims. */
  note?: string;
}

export interface WriteOptions {
  /** A subfolder of the output folder for a new article ("bbc/2024"). */
  folder?: string;
  /** Replace an article of the same URL or key even when it came from somewhere else. */
  replace?: boolean;
}

/** Where an article would go: a new file, or the file of the same article, and where that one came from. */
export interface Plan {
  file: string;
  exists: boolean;
  /** The origin of the article this one replaces, when it is another (only with `replace`). */
  replacesOrigin?: string;
}

/** The Markdown file an article becomes: front matter with its metadata, then its title and paragraphs. */
export function renderMarkdown(article: ImportedArticle): string {
  const fields: Record<string, string> = { title: article.title };
  for (const name of ['publisher', 'author', 'date', 'url'] as const) {
    const value = article[name];
    if (value) fields[name] = value;
  }
  // Without a URL, the key is what finds this file again on the next import.
  if (!article.url) fields.source_key = articleIdentity(article);
  // Which import may replace this file later (src/import/origin.ts).
  fields.origin = article.origin;
  const frontMatter = stringify(fields, { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' });
  return `---\n${frontMatter}---\n\n# ${article.title}\n\n${article.paragraphs.join('\n\n')}\n`;
}

/** What makes two imports the same article: its URL, else its source key, else its words. */
export function articleIdentity(article: Pick<ImportedArticle, 'url' | 'sourceKey' | 'title' | 'paragraphs'>): string {
  const fromUrl = article.url ? canonicalUrlKey(article.url) : null;
  return fromUrl ?? article.sourceKey ?? `text:${shortHash(`${article.title}\n${article.paragraphs.join('\n')}`, 16)}`;
}

/**
 * Writes articles into a corpus folder. An article already there (same URL or source key, found in
 * the front matter of the folder's .md files, subfolders included) is replaced in place, so
 * re-importing never duplicates, but only by an import from the same origin (or with `replace`): a
 * page claiming another outlet's URL cannot overwrite that outlet's article. A new article gets a
 * file named after its title. Every write is atomic.
 */
export class CorpusWriter {
  private readonly byIdentity = new Map<string, OnDisk>();
  private readonly taken = new Set<string>();

  constructor(readonly dir: string) {
    if (!existsSync(dir)) return;
    for (const { relative, absolute } of listCorpusFiles(dir)) {
      this.taken.add(relative.toLowerCase());
      if (!relative.toLowerCase().endsWith('.md')) continue;
      const record = recordOnDisk(readFileSync(absolute, 'utf8'));
      if (record && !this.byIdentity.has(record.identity)) this.byIdentity.set(record.identity, { file: relative, origin: record.origin });
    }
  }

  /** The file (below the folder) of the article with this identity, and its origin, if there is one. */
  existing(identity: string): OnDisk | undefined {
    return this.byIdentity.get(identity);
  }

  /**
   * Where an article would go, and whether a file of it is already there. An article of the same
   * identity from another origin is an `other-origin` refusal unless `replace` is given.
   */
  plan(article: ImportedArticle, options: WriteOptions = {}): Plan {
    const identity = articleIdentity(article);
    const existing = this.byIdentity.get(identity);
    if (existing) {
      if (existing.origin === null || sameOrigin(existing.origin, article.origin)) return { file: existing.file, exists: true };
      if (!options.replace) throw otherOrigin(existing, article.url ?? identity, article.origin);
      return { file: existing.file, exists: true, replacesOrigin: existing.origin };
    }
    const folder = options.folder ?? '';
    const prefix = folder ? `${folder.replace(/^\/+|\/+$/g, '')}/` : '';
    const base = `${prefix}${slugify(article.title)}`;
    const file = this.taken.has(`${base}.md`.toLowerCase()) ? `${base}-${shortHash(identity, 6)}.md` : `${base}.md`;
    return { file, exists: false };
  }

  write(article: ImportedArticle, options: WriteOptions = {}): WriteResult {
    const { file, exists, replacesOrigin } = this.plan(article, options);
    const text = renderMarkdown(article);
    const target = path.join(this.dir, file);
    const note = replacesOrigin ? `replaced the article from ${replacesOrigin} (--replace)` : article.note;
    const noted = note ? { note } : {};
    if (exists && existsSync(target) && readFileSync(target, 'utf8') === text) return { status: 'unchanged', file, ...noted };
    writeFileAtomically(target, text);
    this.byIdentity.set(articleIdentity(article), { file, origin: article.origin });
    this.taken.add(file.toLowerCase());
    return { status: exists ? 'updated' : 'imported', file, ...noted };
  }
}

/** An article file of the folder: where it is, and where it came from. */
export interface OnDisk {
  file: string;
  /**
   * Its recorded origin; for a file without one (written by hand, or imported before origins were
   * recorded) the URL it names, or null when only its source key identifies it (the key names its source).
   */
  origin: string | null;
}

/** The refusal when an import would replace an article that came from somewhere else. */
export function otherOrigin(existing: OnDisk, what: string, origin: string): ImportError {
  return new ImportError(
    'other-origin',
    `${existing.file} already holds ${what}, from ${existing.origin ?? 'another file'}; this copy comes from ${origin}, so it was not written (--replace, or replace:true in /corpus add, replaces it)`,
  );
}

/** The identity a Markdown file's front matter gives it (its URL, else its source key). */
export function identityOnDisk(text: string): string | null {
  return recordOnDisk(text)?.identity ?? null;
}

/** A Markdown file's identity and origin, from its front matter; null when it has no identity. */
export function recordOnDisk(text: string): { identity: string; origin: string | null } | null {
  const { meta, sourceKey, origin } = readFrontMatter(text);
  const identity = (meta.url ? canonicalUrlKey(meta.url) : null) ?? sourceKey;
  return identity ? { identity, origin: origin ?? meta.url ?? null } : null;
}

/** Write to a hidden temporary file beside the target (the corpus loader skips hidden files), then rename. */
export function writeFileAtomically(target: string, data: string | Buffer): void {
  mkdirSync(path.dirname(target), { recursive: true });
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
