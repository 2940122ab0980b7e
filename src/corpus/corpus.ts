import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isIsoDate } from '../core/dates.js';
import { UserError } from '../core/errors.js';
import type { CorpusDocument, DocumentMeta } from '../core/types.js';
import { extractMetadata } from './metadata.js';

export const DOCUMENT_EXTENSIONS = ['.txt', '.md'];
/** The optional file, inside the corpus folder, that supplies what a text cannot tell. */
export const OVERRIDES_FILE = 'metadata.json';
/** Larger files are skipped (MAX_DOCUMENT_BYTES): a news article is kilobytes, and one huge file would stall ingest and fill memory. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 5_000_000;

export interface LoadedDocument extends CorpusDocument {
  /** sha256 of the file's bytes: the index re-embeds a document only when this changes. */
  sha256: string;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface Corpus {
  dir: string;
  documents: LoadedDocument[];
  skipped: SkippedFile[];
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
 * Load every .txt/.md file of a folder as a document. A file that is empty, binary or
 * unreadable is skipped with a reason; the others still load.
 */
export function loadCorpus(dir: string, { maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES }: { maxDocumentBytes?: number } = {}): Corpus {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`corpus folder not found: ${dir} (set --corpus or CORPUS_DIR)`);
  }
  const overrides = loadOverrides(path.join(dir, OVERRIDES_FILE));
  const documents: LoadedDocument[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();

  for (const file of readdirSync(dir).sort()) {
    if (file.startsWith('.') || !DOCUMENT_EXTENSIONS.includes(path.extname(file).toLowerCase())) continue;
    const id = path.basename(file, path.extname(file));
    if (seen.has(id)) {
      skipped.push({ file, reason: `another file already has the id "${id}"` });
      continue;
    }
    const result = readDocument(path.join(dir, file), maxDocumentBytes);
    if ('reason' in result) {
      skipped.push({ file, reason: result.reason });
      continue;
    }
    seen.add(id);
    const meta: DocumentMeta = { id, ...extractMetadata(result.text), ...overrides[id] };
    documents.push({ ...meta, path: path.resolve(dir, file), text: result.text, sha256: result.sha256 });
  }
  return { dir, documents, skipped };
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
