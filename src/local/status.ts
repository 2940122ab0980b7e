import path from 'node:path';
import { type CorpusWarning, loadCorpus, type SkippedFile } from '../corpus/corpus.js';
import { CORPUS_CACHE } from '../corpus/corpus-cache.js';
import { folderOf } from '../corpus/files.js';
import { readManifest } from '../index/manifest.js';
import { readDocuments } from '../index/store.js';

export interface CorpusStatus {
  documents: number;
  /** Documents per top-level folder ("" for the corpus folder itself). */
  folders: Record<string, number>;
  /** Chunks in the index, and when it was last written (ISO time); null before the first ingest. */
  chunks: number | null;
  lastIngest: string | null;
  /** Documents on disk that the index does not hold yet (or holds in an older version). */
  pending: number;
  skipped: SkippedFile[];
  warnings: CorpusWarning[];
}

/** What the corpus folder and the index on disk hold now; a corrupt index counts as none. */
export function corpusStatus(corpusDir: string, indexDir: string): CorpusStatus {
  const corpus = loadCorpus(corpusDir, { cache: path.join(indexDir, CORPUS_CACHE) });
  let manifest = null;
  let indexed: ReadonlyMap<string, { sha256: string }> = new Map();
  try {
    manifest = readManifest(indexDir);
    if (manifest) indexed = readDocuments(indexDir, manifest);
  } catch {
    manifest = null;
  }
  const folders: Record<string, number> = {};
  for (const doc of corpus.documents) {
    const top = folderOf(doc.id).split('/')[0] ?? '';
    folders[top] = (folders[top] ?? 0) + 1;
  }
  return {
    documents: corpus.documents.length,
    folders,
    chunks: manifest?.counts.chunks ?? null,
    lastIngest: manifest?.createdAt ?? null,
    pending: corpus.documents.filter((doc) => indexed.get(doc.id)?.sha256 !== doc.sha256).length,
    skipped: corpus.skipped,
    warnings: corpus.warnings ?? [],
  };
}
