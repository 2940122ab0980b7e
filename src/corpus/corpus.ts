import { type BigIntStats, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isIsoDate } from '../core/dates.js';
import { UserError } from '../core/errors.js';
import type { CorpusDocument, DocumentMeta } from '../core/types.js';
import { type CachedEntry, type CachedFile, CorpusCache, cachedEntry, cachedFolder, statKey } from './corpus-cache.js';
import { fileDocument, RecentTexts, readDocument } from './document-file.js';
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
  /** The corpus folder's `corpusFingerprint` as this load found it (files.ts). */
  fingerprint?: string;
  /** Record what this load learned in the corpus cache (see `LoadOptions.cache`); nothing when it learned nothing. */
  saveCache?: () => void;
  /**
   * False when taken from the cache without a stat per file (`LoadOptions.trustFolders`): a file
   * rewritten in place since is not seen until the folder is read again (its text fails its hash).
   */
  verified?: boolean;
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
   * A file remembering what the last whole read found (corpus-cache.ts): a file whose stat did not
   * move is not read at all (54,240 files: 3.5 s → about 1.1 s here). It is written only when the
   * caller says so (`corpus.saveCache()`), once it may write next to the index.
   */
  cache?: string;
  /**
   * Take the corpus from the cache without a stat per file when no folder's stat moved since it was
   * written (no file added, removed or renamed): an engine's start, which then checks the files in
   * the background (`Corpus.verified`). Ingest and status always read the folder.
   */
  trustFolders?: boolean;
}

/**
 * Load every .txt/.md file under a folder, subfolders included, as a document whose id is its path
 * relative to the folder without the extension ("bbc/2024/some-slug"). A file that is empty, binary or
 * unreadable is skipped with a reason; the others still load.
 *
 * Texts are not kept: `document.text` reads the file when asked (the few documents a question quotes),
 * checks that its bytes still have the hash they had here, and keeps the most recent ones in memory.
 */
export function loadCorpus(
  dir: string,
  { maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES, cache, trustFolders = false }: LoadOptions = {},
): Corpus {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`corpus folder not found: ${dir} (set --corpus or CORPUS_DIR)`);
  }
  const overrides = loadOverrides(path.join(dir, OVERRIDES_FILE));
  const known = cache ? CorpusCache.read(cache) : new CorpusCache();
  if (trustFolders && known.foldersUnchanged(dir, maxDocumentBytes)) return { ...fromCache(dir, known, overrides), verified: false };

  const next = new CorpusCache();
  next.maxDocumentBytes = maxDocumentBytes;
  const seen = new Set<string>();
  const files = listCorpusFiles(dir, (folder) => {
    const stamp = cachedFolder(dir, folder);
    if (stamp) next.folders.push(stamp);
  });
  for (const { relative: file, absolute } of files) {
    let stat: BigIntStats;
    try {
      stat = statSync(absolute, { bigint: true });
    } catch (error) {
      const reason = `unreadable (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
      next.add(isDocumentFile(file) ? { file, stat: null, kind: 'skipped', reason } : { file, stat: null, kind: 'other' });
      continue;
    }
    next.add(loadFile(known, file, absolute, stat, seen, maxDocumentBytes));
  }
  const corpus = fromCache(dir, next, overrides);
  // Only what is worth writing stays referenced (a corpus lives as long as the engine answers from it).
  let unsaved = cache && !next.sameAs(known) ? next : null;
  const saveCache = () => {
    unsaved?.write(cache!);
    unsaved = null;
  };
  return { ...corpus, verified: true, saveCache };
}

/** What one listed file gives: a document (its cached entry while its stat has not moved), or why not, or nothing (not a document file). */
function loadFile(
  known: CorpusCache,
  file: string,
  absolute: string,
  stat: BigIntStats,
  seen: Set<string>,
  maxDocumentBytes: number,
): CachedFile {
  const key = statKey(stat);
  if (!isDocumentFile(file)) return { file, stat: key, kind: 'other' };
  const skip = (reason: string): CachedFile => ({ file, stat: key, kind: 'skipped', reason });
  const id = documentId(file);
  if (seen.has(id)) return skip(`another file already has the id "${id}"`);
  if (!stat.isFile()) return skip('not a regular file');
  if (stat.size > maxDocumentBytes) return skip(`${stat.size} bytes, over the limit of ${maxDocumentBytes} (MAX_DOCUMENT_BYTES)`);
  const entry = entryFor(known, file, absolute, id, stat);
  if ('reason' in entry) return skip(entry.reason);
  seen.add(id);
  return { file, stat: key, kind: 'document', entry };
}

/** The corpus a cache describes: its documents (metadata.json's overrides applied), skipped files, warnings and fingerprint. */
function fromCache(dir: string, cache: CorpusCache, overrides: MetadataOverrides): Omit<Corpus, 'verified'> {
  const root = path.resolve(dir);
  const documents: LoadedDocument[] = [];
  const skipped: SkippedFile[] = [];
  const warnings: CorpusWarning[] = [];
  const stamps: string[] = [];
  const texts = new RecentTexts();
  for (const record of cache.files) {
    const { file, stat } = record;
    // As `fileStamp` makes it from a stat: the path, size and modification time.
    stamps.push(stat === null ? file : `${file}:${stat.slice(0, stat.indexOf(':', stat.indexOf(':') + 1))}`);
    if (record.kind === 'skipped') skipped.push({ file, reason: record.reason });
    if (record.kind !== 'document') continue;
    const { entry } = record;
    if (entry.warning) warnings.push({ file, message: entry.warning });
    const id = documentId(file);
    const override = overrides[id];
    const fields = override ? { ...entry.document, ...override } : entry.document;
    // Joined by hand: path.join over 54,240 files cost 25 ms of a start (the walk's paths are already normal).
    const absolute = path.sep === '/' ? `${root}/${file}` : path.join(root, file);
    documents.push(fileDocument(id, fields, absolute, entry.sha256, texts));
  }
  return { dir, documents, skipped, warnings, fingerprint: stamps.join('|') };
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
