import { type BigIntStats, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isIsoDate } from '../core/dates.js';
import { UserError } from '../core/errors.js';
import type { CorpusDocument, DocumentMeta } from '../core/types.js';
import { type CachedEntry, CorpusCache, cachedEntry } from './corpus-cache.js';
import { fileDocument, RecentTexts, readDocument } from './document-file.js';
import { fileStamp, listCorpusFiles } from './files.js';
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
  /** The corpus folder's `corpusFingerprint` as this load found it (files.ts). */
  fingerprint?: string;
  /** Record what this load learned in the corpus cache (see `LoadOptions.cache`); nothing when it learned nothing. */
  saveCache?: () => void;
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

export interface LoadOptions {
  maxDocumentBytes?: number;
  /**
   * A file remembering each document's metadata and hash by its size and change times: a file whose
   * stat did not move is not read at all (54,240 files: 3.5 s → about 1.5 s here). It is written
   * only when the caller says so (`corpus.saveCache()`), once it may write next to the index.
   */
  cache?: string;
}

/**
 * Load every .txt/.md file under a folder, subfolders included, as a document whose id is its path
 * relative to the folder without the extension ("bbc/2024/some-slug"). A file that is empty, binary or
 * unreadable is skipped with a reason; the others still load.
 *
 * Texts are not kept: `document.text` reads the file when asked (the few documents a question quotes),
 * checks that its bytes still have the hash they had here, and keeps the most recent ones in memory.
 */
export function loadCorpus(dir: string, { maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES, cache }: LoadOptions = {}): Corpus {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`corpus folder not found: ${dir} (set --corpus or CORPUS_DIR)`);
  }
  const overrides = loadOverrides(path.join(dir, OVERRIDES_FILE));
  const known = cache ? CorpusCache.read(cache) : new CorpusCache();
  const next = new CorpusCache();
  const documents: LoadedDocument[] = [];
  const skipped: SkippedFile[] = [];
  const warnings: CorpusWarning[] = [];
  const seen = new Set<string>();
  const texts = new RecentTexts();

  const stamps: string[] = [];

  for (const { relative: file, absolute } of listCorpusFiles(dir)) {
    let stat: BigIntStats;
    try {
      stat = statSync(absolute, { bigint: true });
    } catch (error) {
      stamps.push(fileStamp(file, undefined));
      if (isDocumentFile(file)) skipped.push({ file, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
      continue;
    }
    stamps.push(fileStamp(file, stat));
    if (!isDocumentFile(file)) continue;
    const id = documentId(file);
    if (seen.has(id)) {
      skipped.push({ file, reason: `another file already has the id "${id}"` });
      continue;
    }
    if (!stat.isFile()) {
      skipped.push({ file, reason: 'not a regular file' });
      continue;
    }
    if (stat.size > maxDocumentBytes) {
      skipped.push({ file, reason: `${stat.size} bytes, over the limit of ${maxDocumentBytes} (MAX_DOCUMENT_BYTES)` });
      continue;
    }
    const entry = entryFor(known, file, absolute, id, stat);
    if ('reason' in entry) {
      skipped.push({ file, reason: entry.reason });
      continue;
    }
    next.set(file, entry);
    if (entry.warning) warnings.push({ file, message: entry.warning });
    seen.add(id);
    documents.push(fileDocument({ ...entry.document, id, ...overrides[id] }, path.resolve(absolute), entry.sha256, texts));
  }
  // Only what is worth writing stays referenced (a corpus lives as long as the engine answers from it).
  let unsaved = cache && !next.sameAs(known) ? next : null;
  const saveCache = () => {
    unsaved?.write(cache!);
    unsaved = null;
  };
  return { dir, documents, skipped, warnings, fingerprint: stamps.join('|'), saveCache };
}

/** A file's cached entry while its stat has not moved, or one read and parsed now; the reason when it is no document. */
function entryFor(known: CorpusCache, file: string, absolute: string, id: string, stat: BigIntStats): CachedEntry | { reason: string } {
  const cached = known.get(file, stat);
  if (cached) return cached;
  const result = readDocument(absolute);
  if ('reason' in result) return result;
  const parsed = parseDocument(id, file, result.text);
  if ('reason' in parsed) return { reason: parsed.reason };
  const { text: _text, ...metadata } = parsed.document;
  return cachedEntry(stat, result.sha256, metadata, parsed.warning);
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
export function parseDocument(
  id: string,
  file: string,
  text: string,
): { document: ParsedDocument; warning: string | null } | { reason: string } {
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
