import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { listCorpusFiles } from '../corpus/files.js';
import { readFrontMatter } from '../corpus/front-matter.js';
import type { ImportedArticle } from './article.js';
import { canonicalUrlKey, shortHash, slugify } from './slug.js';

export type WriteStatus = 'imported' | 'updated' | 'unchanged';

export interface WriteResult {
  status: WriteStatus;
  /** Path of the file below the output folder, with '/'. */
  file: string;
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
 * re-importing never duplicates; a new one gets a file named after its title. Every write is atomic.
 */
export class CorpusWriter {
  private readonly byIdentity = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(readonly dir: string) {
    if (!existsSync(dir)) return;
    for (const { relative, absolute } of listCorpusFiles(dir)) {
      this.taken.add(relative.toLowerCase());
      if (!relative.toLowerCase().endsWith('.md')) continue;
      const identity = identityOnDisk(readFileSync(absolute, 'utf8'));
      if (identity && !this.byIdentity.has(identity)) this.byIdentity.set(identity, relative);
    }
  }

  /** The file (below the folder) of the article with this identity, if there is one. */
  fileOf(identity: string): string | undefined {
    return this.byIdentity.get(identity);
  }

  /** Where an article would go, and whether a file of it is already there. */
  plan(article: ImportedArticle, folder = ''): { file: string; exists: boolean } {
    const identity = articleIdentity(article);
    const existing = this.byIdentity.get(identity);
    if (existing) return { file: existing, exists: true };
    const prefix = folder ? `${folder.replace(/^\/+|\/+$/g, '')}/` : '';
    const base = `${prefix}${slugify(article.title)}`;
    const file = this.taken.has(`${base}.md`.toLowerCase()) ? `${base}-${shortHash(identity, 6)}.md` : `${base}.md`;
    return { file, exists: false };
  }

  write(article: ImportedArticle, folder = ''): WriteResult {
    const { file, exists } = this.plan(article, folder);
    const text = renderMarkdown(article);
    const target = path.join(this.dir, file);
    if (exists && existsSync(target) && readFileSync(target, 'utf8') === text) return { status: 'unchanged', file };
    writeFileAtomically(target, text);
    this.byIdentity.set(articleIdentity(article), file);
    this.taken.add(file.toLowerCase());
    return { status: exists ? 'updated' : 'imported', file };
  }
}

/** The identity a Markdown file's front matter gives it (its URL, else its source key). */
export function identityOnDisk(text: string): string | null {
  const { meta, sourceKey } = readFrontMatter(text);
  return (meta.url ? canonicalUrlKey(meta.url) : null) ?? sourceKey;
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
