/**
 * The one place where configuration becomes the core's options (as transformers.js keeps its
 * settings in env.js): the core never reads the environment, the adapters call these.
 */

import type { EngineOptions } from './backend/types.js';
import type { CommunityStoreOptions } from './community/open.js';
import type { Config } from './config.js';
import type { FetchPolicy } from './import/fetch.js';

/**
 * Flags override the configured folders; `watch` is off unless a long-running process asks for it;
 * `readOnly` is for a process that must never write the index (a gateway shard).
 */
/**
 * The models of the configuration, as every loader takes them (engines, evals, the benchmark): the
 * primary and rerank embedding models, where they are, and the quote reader.
 */
export function modelOptions(config: Config): { model: string; rerankModels: string[]; modelsDir?: string; reader: string | null } {
  return { model: config.EMBEDDING_MODEL, rerankModels: config.RERANK_MODELS, modelsDir: config.MODELS_DIR, reader: config.QUOTE_READER };
}

export function engineOptions(
  config: Config,
  overrides: { corpus?: string; index?: string; watch?: boolean; readOnly?: boolean; backgroundIngest?: boolean } = {},
): EngineOptions {
  return {
    corpusDir: overrides.corpus ?? config.CORPUS_DIR,
    indexDir: overrides.index ?? config.INDEX_DIR,
    ...modelOptions(config),
    minRelevance: config.ANSWER_MIN_RELEVANCE,
    watch: overrides.watch ?? false,
    backgroundIngest: overrides.backgroundIngest ?? false,
    readOnly: overrides.readOnly ?? false,
    maxDocumentBytes: config.MAX_DOCUMENT_BYTES,
    backend: config.INDEX_BACKEND,
    databaseUrl: config.DATABASE_URL,
    databaseSchema: config.DATABASE_SCHEMA,
  };
}

/** The rules for fetching pages and feeds (imports, /corpus add). */
export function fetchPolicy(config: Pick<Config, 'FETCH_TIMEOUT_MS' | 'MAX_FETCH_BYTES' | 'IMPORT_ALLOW_PRIVATE_HOSTS'>): FetchPolicy {
  return { timeoutMs: config.FETCH_TIMEOUT_MS, maxBytes: config.MAX_FETCH_BYTES, allowPrivateHosts: config.IMPORT_ALLOW_PRIVATE_HOSTS };
}

/**
 * Where settings, stored questions and feedback live: the index's PostgreSQL database with
 * INDEX_BACKEND=postgres, else a SQLite file beside the index folder (`embeddings-community.sqlite`),
 * outside it because the index folder is generated and safe to delete.
 */
export function communityOptions(config: Config): CommunityStoreOptions {
  if (config.INDEX_BACKEND === 'postgres' && config.DATABASE_URL) {
    return { backend: 'postgres', databaseUrl: config.DATABASE_URL, databaseSchema: config.DATABASE_SCHEMA };
  }
  return { backend: 'local', file: config.COMMUNITY_DB ?? `${config.INDEX_DIR.replace(/[\\/]+$/, '')}-community.sqlite` };
}
