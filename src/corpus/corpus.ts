import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isIsoDate } from '../core/dates.js';
import { UserError } from '../core/errors.js';
import type { CorpusDocument, DocumentMeta } from '../core/types.js';
import { listCorpusFiles } from './files.js';
import { readFrontMatter } from './front-matter.js';
import { extractMetadata } from './metadata.js';

export const DOCUMENT_EXTENSIONS = ['.txt', '.md'];
/** The optional file, inside the corpus folder, that supplies what a text cannot tell. */
export const OVERRIDES_FILE = 'metadata.json';
/** Larger files are skipped (MAX_DOCUMENT_BYTES): a news article is kilobytes, and one huge file would stall ingest and fill memory. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 5_000_000;

export interface LoadedDocument extends CorpusDocument {
  /** sha256 of the file's bytes: the index re-embeds a document only when this changes. */
  sha256: string;
  /** Identifies an imported article that has no URL (front matter `source_key`). */
  sourceKey?: string | null;
}

/** A file that loaded, but not entirely as written (a malformed front matter block). */
export interface CorpusWarning {
  file: string;
  message: string;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface Corpus {
  dir: string;
  documents: LoadedDocument[];
  skipped: SkippedFile[];
  /** Files that loaded, but not as written (absent when none). */
  warnings?: CorpusWarning[];
}

const isoDate = z.string().refine(isIsoDate, 'must be YYYY-MM-DD, a date that exists');
const overrideSchema = z.record(
  z.string(),
  z
    .object({
      title: z.string().min(1),
      publisher: z.string().min(1).nullable(),
      author: z.string().min(1).nullable(),
      date: isoDate.nullable(),
      url: z.string().url().nullable(),
    })
    .partial()
    .strict(),
);
export type MetadataOverrides = z.infer<typeof overrideSchema>;

/**
 * Load every .txt/.md file under a folder, subfolders included, as a document whose id is its path
 * relative to the folder without the extension ("bbc/2024/some-slug"). A file that is empty, binary or
 * unreadable is skipped with a reason; the others still load.
 */
export function loadCorpus(dir: string, { maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES }: { maxDocumentBytes?: number } = {}): Corpus {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`corpus folder not found: ${dir} (set --corpus or CORPUS_DIR)`);
  }
  const overrides = loadOverrides(path.join(dir, OVERRIDES_FILE));
  const documents: LoadedDocument[] = [];
  const skipped: SkippedFile[] = [];
  const warnings: CorpusWarning[] = [];
  const seen = new Set<string>();

  for (const { relative: file, absolute } of listCorpusFiles(dir)) {
    if (!isDocumentFile(file)) continue;
    const id = documentId(file);
    if (seen.has(id)) {
      skipped.push({ file, reason: `another file already has the id "${id}"` });
      continue;
    }
    const result = readDocument(absolute, maxDocumentBytes);
    if ('reason' in result) {
      skipped.push({ file, reason: result.reason });
      continue;
    }
    const parsed = parseDocument(id, file, result.text);
    if ('reason' in parsed) {
      skipped.push({ file, reason: parsed.reason });
      continue;
    }
    if (parsed.warning) warnings.push({ file, message: parsed.warning });
    seen.add(id);
    documents.push({ ...parsed.document, ...overrides[id], path: path.resolve(absolute), sha256: result.sha256 });
  }
  return { dir, documents, skipped, warnings };
}

export function isDocumentFile(file: string): boolean {
  return DOCUMENT_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/** "bbc/2024/some-slug.md" → "bbc/2024/some-slug": the relative path with '/' and without the extension. */
export function documentId(relativeFile: string): string {
  const posix = relativeFile.split(path.sep).join('/');
  return posix.slice(0, posix.length - path.extname(posix).length);
}

export type ParsedDocument = Omit<LoadedDocument, 'path' | 'sha256'> & { bodyStart: number; sourceKey: string | null };

/**
 * A document's metadata from its text: a Markdown file's front matter first, then what the text
 * after it tells (headings, bylines, datelines...). Null fields are filled from the text.
 */
export function parseDocument(id: string, file: string, text: string): { document: ParsedDocument; warning: string | null } | { reason: string } {
  const frontMatter = path.extname(file).toLowerCase() === '.md' ? readFrontMatter(text) : null;
  const bodyStart = frontMatter?.bodyStart ?? 0;
  const body = text.slice(bodyStart);
  if (body.trim() === '') return { reason: bodyStart > 0 ? 'no text after the front matter' : 'empty' };
  const fromText = extractMetadata(body);
  const given = frontMatter?.meta ?? {};
  const meta: DocumentMeta = {
    id,
    title: given.title ?? fromText.title,
    publisher: given.publisher ?? fromText.publisher,
    author: given.author ?? fromText.author,
    date: given.date ?? fromText.date,
    url: given.url ?? fromText.url,
  };
  return { document: { ...meta, text, bodyStart, sourceKey: frontMatter?.sourceKey ?? null }, warning: frontMatter?.warning ?? null };
}

function readDocument(file: string, maxBytes: number): { text: string; sha256: string } | { reason: string } {
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return { reason: 'not a regular file' };
    if (stat.size > maxBytes) return { reason: `${stat.size} bytes, over the limit of ${maxBytes} (MAX_DOCUMENT_BYTES)` };
    bytes = readFileSync(file);
  } catch (error) {
    return { reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  if (bytes.includes(0)) return { reason: 'binary (contains NUL bytes)' };
  let text: string;
  try {
    // ignoreBOM keeps a leading BOM, as readFileSync(file, 'utf8') does, so offsets agree.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { reason: 'not valid UTF-8 text' };
  }
  if (text.trim() === '') return { reason: 'empty' };
  return { text, sha256: sha256(bytes) };
}

function loadOverrides(file: string): MetadataOverrides {
  if (!existsSync(file)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`metadata overrides ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = overrideSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new UserError(`metadata overrides ${file} is malformed: ${problems}`);
  }
  return parsed.data;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
