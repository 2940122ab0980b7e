import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from '../corpus/corpus.js';
import { readFrontMatter } from '../corpus/front-matter.js';
import { quotableSentences } from '../text/prose.js';
import type { ImportedArticle } from './article.js';
import { decodeHtml } from './charset.js';
import { ImportError } from './errors.js';
import { articleFromHtml } from './html.js';
import { slugify } from './slug.js';
import { CorpusWriter, identityOnDisk, otherOrigin, renderMarkdown, type WriteStatus, writeFileAtomically } from './write.js';

/** What an admin may attach: Markdown and text files go in as they are, web pages as their article. */
export const UPLOAD_EXTENSIONS = ['.md', '.txt', '.html', '.htm'];

export interface PreparedFile {
  /** Path below the corpus folder, with '/'. */
  file: string;
  /** The document id it will have. */
  id: string;
  data: string;
  status: WriteStatus;
  /** A front matter problem the file will load with, or the article from elsewhere it replaces (named, not fatal). */
  warning: string | null;
}

export interface UploadOptions {
  /** The charset the server declared for the attachment. */
  charset?: string | null;
  /** Replace an article of the same URL even when it came from somewhere else. */
  replace?: boolean;
}

/**
 * Check an uploaded file completely before anything is written: its type, that it is text (UTF-8 for
 * .md and .txt, a web page in the charset it or the server declares), that a web page has an article,
 * and that the document the corpus will load has quotable sentences.
 * Throws an `ImportError` naming the problem; nothing is written until `writePrepared`.
 */
export function prepareUpload(name: string, bytes: Buffer, corpusDir: string, options: UploadOptions = {}): PreparedFile {
  const extension = path.extname(name).toLowerCase();
  if (!UPLOAD_EXTENSIONS.includes(extension)) {
    throw new ImportError('unsupported-type', `${name}: only ${UPLOAD_EXTENSIONS.join(', ')} files can be added`);
  }
  if (bytes.includes(0)) throw new ImportError('not-text', `${name} is not a text file (it contains binary data)`);
  const writer = new CorpusWriter(corpusDir);
  const own = `${slugify(path.basename(name, extension))}${extension}`;
  if (extension === '.html' || extension === '.htm') {
    const article = articleFromHtml(decodeHtml(bytes, options.charset ?? null, name), {
      label: name,
      sourceKey: `upload:${slugify(path.basename(name, extension))}`,
      origin: `upload:${own}`,
    });
    return preparedArticle(writer, article, corpusDir, options.replace);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError('not-text', `${name} is not UTF-8 text`);
  }
  // A Markdown file names its URL itself and is stored as it is: it replaces its own file name, or
  // (with `replace`) the article of its URL, never another file's article silently.
  const identity = extension === '.md' ? identityOnDisk(text) : null;
  const existing = identity ? writer.existing(identity) : undefined;
  if (existing && existing.file !== own && !options.replace)
    throw otherOrigin(existing, readFrontMatter(text).meta.url ?? identity!, `the attachment ${name}`);
  const replaced =
    existing && existing.file !== own ? `replaced ${existing.file}, from ${existing.origin ?? 'another file'} (replace:true)` : null;
  return prepared(corpusDir, existing?.file ?? own, text, replaced);
}

/** An article fetched from the web, checked the same way, to go where an earlier import of it from the same origin is (or a new file). */
export function prepareArticle(article: ImportedArticle, corpusDir: string, options: { replace?: boolean } = {}): PreparedFile {
  return preparedArticle(new CorpusWriter(corpusDir), article, corpusDir, options.replace);
}

function preparedArticle(writer: CorpusWriter, article: ImportedArticle, corpusDir: string, replace = false): PreparedFile {
  const plan = writer.plan(article, { replace });
  const note = plan.replacesOrigin ? `replaced the article from ${plan.replacesOrigin} (replace:true)` : (article.note ?? null);
  return prepared(corpusDir, plan.file, renderMarkdown(article), note);
}

function prepared(corpusDir: string, file: string, data: string, note: string | null = null): PreparedFile {
  const extension = path.extname(file);
  const id = file.slice(0, file.length - extension.length);
  for (const other of ['.md', '.txt'].filter((ext) => ext !== extension.toLowerCase())) {
    if (existsSync(path.join(corpusDir, `${id}${other}`)))
      throw new ImportError('duplicate-id', `${id}${other} already has the id "${id}"; rename the file`);
  }
  const parsed = parseDocument(id, file, data);
  if ('reason' in parsed) throw new ImportError('no-article', `${file}: ${parsed.reason}`);
  const { document } = parsed;
  const quotable = quotableSentences(document);
  if (quotable.length === 0) throw new ImportError('no-article', `${file} has no sentence that could be quoted`);
  const target = path.join(corpusDir, file);
  const status: WriteStatus = !existsSync(target) ? 'imported' : readFileSync(target, 'utf8') === data ? 'unchanged' : 'updated';
  return { file, id, data, status, warning: [parsed.warning, note].filter(Boolean).join('; ') || null };
}

export function writePrepared(corpusDir: string, file: PreparedFile): void {
  if (file.status !== 'unchanged') writeFileAtomically(path.join(corpusDir, file.file), file.data);
}
