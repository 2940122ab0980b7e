/**
 * A document's file: read and checked (UTF-8 text, its sha256), and read again on demand by the
 * documents of a loaded corpus, which hold no text (the few a question quotes stay in `RecentTexts`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import type { LoadedDocument } from './corpus.js';

/**
 * A document whose text is read from its file when asked for (see `RecentTexts`). A class, not an
 * object with its own getter: 54,240 of them took 86 MB of heap as getter objects, 1.6 KB each.
 */
class FileDocument implements LoadedDocument {
  id: string;
  title: string;
  publisher: string | null;
  author: string | null;
  date: string | null;
  url: string | null;
  bodyStart?: number;
  sourceKey?: string | null;
  readonly #texts: RecentTexts;

  constructor(
    id: string,
    fields: Omit<LoadedDocument, 'id' | 'text' | 'path' | 'sha256'>,
    readonly path: string,
    readonly sha256: string,
    texts: RecentTexts,
  ) {
    this.id = id;
    this.title = fields.title;
    this.publisher = fields.publisher;
    this.author = fields.author;
    this.date = fields.date;
    this.url = fields.url;
    this.bodyStart = fields.bodyStart;
    this.sourceKey = fields.sourceKey;
    this.#texts = texts;
  }

  get text(): string {
    return this.#texts.read(this.path, this.sha256, this.id);
  }
}

export function fileDocument(
  id: string,
  fields: Omit<LoadedDocument, 'id' | 'text' | 'path' | 'sha256'>,
  file: string,
  sha256: string,
  texts: RecentTexts,
): LoadedDocument {
  return new FileDocument(id, fields, file, sha256, texts);
}

/** True for a document made by `fileDocument` (its text is read on demand, not held). */
export function readsTextOnDemand(doc: object): boolean {
  return doc instanceof FileDocument;
}

/** A file changed (or went away) after the corpus was read: its text no longer matches what was indexed. */
export class DocumentChangedError extends UserError {
  override name = 'DocumentChangedError';
}

/**
 * The texts of one loaded corpus read most recently: a question reads the same few documents many
 * times. A text is read from its file and checked against the hash the corpus was loaded with; once
 * held here it stays quotable until the corpus is loaded again (as when texts were read eagerly).
 */
export class RecentTexts {
  private readonly texts = new Map<string, string>();

  /** `id` names the document in the error (a reply may show it: not the server's path). */
  read(file: string, sha256: string, id: string): string {
    const held = this.texts.get(file);
    if (held !== undefined) {
      this.texts.delete(file);
      this.texts.set(file, held);
      return held;
    }
    const result = readDocument(file);
    if ('reason' in result || result.sha256 !== sha256)
      throw new DocumentChangedError(
        `the file of document ${id} changed since the corpus was read; it is used again once it is re-indexed`,
      );
    this.texts.set(file, result.text);
    if (this.texts.size > RECENT_TEXTS) this.texts.delete(this.texts.keys().next().value!);
    return result.text;
  }
}
const RECENT_TEXTS = 256;

/** A document file's text, or why it cannot be one (unreadable, binary, not UTF-8, empty). */
export function readDocument(file: string): { text: string; sha256: string } | { reason: string } {
  let bytes: Buffer;
  try {
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

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A document held in memory, not read from a file (the benchmarks' datasets): no metadata but its title. */
export function textDocument(id: string, title: string, text: string): LoadedDocument {
  return { id, title, publisher: null, author: null, date: null, url: null, path: '', text, sha256: sha256(text) };
}
