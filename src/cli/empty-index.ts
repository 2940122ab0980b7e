import path from 'node:path';
import type { EngineOptions } from '../backend/types.js';
import { UserError } from '../core/errors.js';
import type { QuoteEngine } from '../core/types.js';
import { loadCorpus, type SkippedFile } from '../corpus/corpus.js';

/** Skipped files named in the message; the warnings above it list them all. */
const NAMED_SKIPS = 3;

/**
 * `ask` and the terminal mode over an index with no article: say why, once, instead of answering
 * every question "not covered". (A PostgreSQL index refuses to open empty: src/postgres/engine.ts.)
 */
export function assertSomethingIndexed(engine: QuoteEngine, options: EngineOptions): void {
  if (options.backend === 'postgres' || engine.documents().length > 0) return;
  // Read again only on this path, for the reasons: the engine does not keep them.
  const corpus = loadCorpus(options.corpusDir, { maxDocumentBytes: options.maxDocumentBytes });
  if (corpus.documents.length > 0) return;
  throw new UserError(emptyCorpusMessage(path.resolve(options.corpusDir), corpus.skipped));
}

/** "nothing is indexed: all 2 files in the corpus folder /x were skipped (a.txt: empty; b.txt: binary …)". */
export function emptyCorpusMessage(dir: string, skipped: SkippedFile[]): string {
  if (skipped.length === 0)
    return `nothing is indexed: the corpus folder ${dir} has no .txt or .md files (add articles there, or set --corpus or CORPUS_DIR)`;
  const named = skipped.slice(0, NAMED_SKIPS).map(({ file, reason }) => `${file}: ${reason}`);
  if (skipped.length > NAMED_SKIPS) named.push(`and ${skipped.length - NAMED_SKIPS} more, in the warnings above`);
  const which =
    skipped.length === 1 ? `the only file in the corpus folder ${dir} was` : `all ${skipped.length} files in the corpus folder ${dir} were`;
  return `nothing is indexed: ${which} skipped (${named.join('; ')})`;
}
