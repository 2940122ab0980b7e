import { UserError } from '../core/errors.js';
import type { Corpus } from '../corpus/corpus.js';
import type { Embedders } from '../embedding/embedder.js';
import type { IndexHooks } from '../index/freshness.js';
import { indexSettings, sameContent } from '../index/ingest.js';
import { IndexCorruptError, readManifest, sameSettings } from '../index/manifest.js';
import { loadIndex, type StoredIndex } from '../index/store.js';
import { indexSubset } from '../index/subset.js';

/**
 * The index as its one writer last published it, for a process that must never write it (a gateway
 * shard: the sharding manager is the writer). Nothing is embedded or written here. Documents whose
 * file changed since that index was built are left out until the writer publishes a new generation,
 * so a changed file is never quoted at its old offsets.
 */
export function loadPublishedIndex(
  corpus: Corpus,
  embedders: Embedders,
  indexDir: string,
  hooks: Pick<IndexHooks, 'onWarning'> = {},
): StoredIndex {
  const manifest = readManifest(indexDir);
  if (!manifest)
    throw new UserError(
      `there is no index in ${indexDir} yet; this process only reads it (run npm run ingest, or npm start, which builds it first)`,
    );
  if (!sameSettings(manifest.settings, indexSettings(embedders))) {
    throw new UserError(
      `the index in ${indexDir} was built with other models or chunker settings; this process only reads it (run npm run ingest to rebuild it)`,
    );
  }
  const index = loadIndex(indexDir);
  if (!index) throw new IndexCorruptError(`the manifest in ${indexDir} disappeared while loading`);
  const byId = new Map(corpus.documents.map((doc) => [doc.id, doc]));
  const current = indexSubset(index, (id) => sameContent(index.documents.get(id), byId.get(id)));
  const left = index.documents.size - current.documents.size;
  if (left > 0)
    hooks.onWarning?.(`${left} document(s) changed or removed since the index was built; answering without them until it is rebuilt`);
  return current;
}
