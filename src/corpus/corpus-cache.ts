import { type BigIntStats, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic.js';
import type { ParsedDocument } from './corpus.js';

/** The cache's name in the index folder (it is derived data, like the index). */
export const CORPUS_CACHE = 'corpus-cache.json';

/** What a corpus file gave when it was last read, minus its text. */
export interface CachedEntry {
  /** Size, modification and change times (nanoseconds) and inode: any write to the file moves one of them. */
  stat: string;
  sha256: string;
  document: Omit<ParsedDocument, 'id' | 'text'>;
  warning: string | null;
}

/**
 * Bump when parsing a document gives other metadata than before (metadata.ts, front-matter.ts):
 * entries written by another version are read again from their files. 2: bylines without job titles.
 */
export const PARSER_VERSION = 2;

export function cachedEntry(
  stat: BigIntStats,
  sha256: string,
  metadata: Omit<ParsedDocument, 'text'>,
  warning: string | null,
): CachedEntry {
  const { id: _id, ...document } = metadata;
  return { stat: statKey(stat), sha256, document, warning };
}

function statKey(stat: BigIntStats): string {
  return `${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}`;
}

/**
 * The corpus files' metadata by relative path, valid while their stat does not move. A missing,
 * damaged or older cache is simply empty: every file is read again, and the cache rewritten.
 */
export class CorpusCache {
  private readonly entries = new Map<string, CachedEntry>();

  static read(file: string): CorpusCache {
    const cache = new CorpusCache();
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return cache;
    }
    if (!isRecord(json) || json.version !== PARSER_VERSION || !isRecord(json.files)) return cache;
    for (const [name, entry] of Object.entries(json.files)) if (isEntry(entry)) cache.entries.set(name, entry);
    return cache;
  }

  /** The entry of `file` if its stat is the one recorded. */
  get(file: string, stat: BigIntStats): CachedEntry | undefined {
    const entry = this.entries.get(file);
    return entry?.stat === statKey(stat) ? entry : undefined;
  }

  set(file: string, entry: CachedEntry): void {
    this.entries.set(file, entry);
  }

  /** Same files with the same entries (nothing worth rewriting). */
  sameAs(other: CorpusCache): boolean {
    if (other.entries.size !== this.entries.size) return false;
    for (const [file, entry] of this.entries) if (other.entries.get(file) !== entry) return false;
    return true;
  }

  write(file: string): void {
    try {
      writeFileAtomic(file, JSON.stringify({ version: PARSER_VERSION, files: Object.fromEntries(this.entries) }));
    } catch {
      // Only a cache: a folder that cannot be written (read-only, full) costs the next start its speed, nothing else.
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const nullableString = (value: unknown) => value === null || typeof value === 'string';

/** Checked by hand, not by a schema: tens of thousands of entries are read at every start. */
function isEntry(value: unknown): value is CachedEntry {
  if (!isRecord(value) || typeof value.stat !== 'string' || typeof value.sha256 !== 'string' || !nullableString(value.warning))
    return false;
  const doc = value.document;
  return (
    isRecord(doc) &&
    typeof doc.title === 'string' &&
    ['publisher', 'author', 'date', 'url', 'sourceKey'].every((field) => nullableString(doc[field])) &&
    typeof doc.bodyStart === 'number'
  );
}
