import { loadEngineModels, Reloads } from '../backend/engine-parts.js';
import type { Engine, EngineHooks, EngineOptions } from '../backend/types.js';
import { documentMeta } from '../core/documents.js';
import { UserError } from '../core/errors.js';
import type { LoadedDocument } from '../corpus/corpus.js';
import type { Embedders } from '../embedding/embedder.js';
import { indexSettings } from '../index/ingest.js';
import { sameSettings } from '../index/manifest.js';
import type { Answerer } from '../search/answerer.js';
import type { IndexView } from '../search/index-view.js';
import { asDatabaseError, type Database, DatabaseUnavailableError, databaseOf, isUnavailable } from './db.js';
import { currentGeneration, IndexChangedError, loadPostgresIndex, notReady, type PostgresState } from './reader.js';

interface Loaded {
  state: PostgresState;
  documents: Map<string, LoadedDocument>;
  answerer: Answerer;
}

/**
 * The engine over a PostgreSQL index: the same Answerer as the local backend, over the state the
 * last ingest published (documents and texts come from the database: no corpus files needed).
 * `refresh()` reads the generation row (one indexed single-row read) and reloads when it moved, so
 * every running bot picks up an ingest before its next answer. When the database goes away, the
 * engine says so once (a warning naming host and port), each question fails with a one-line
 * DatabaseUnavailableError, and answering resumes by itself when the database is back.
 */
export async function openPostgresEngine(options: EngineOptions, hooks: EngineHooks = {}): Promise<Engine> {
  if (!options.databaseUrl) throw new UserError('DATABASE_URL is required when INDEX_BACKEND=postgres');
  if (options.watch) hooks.onWarning?.('WATCH_CORPUS is ignored with INDEX_BACKEND=postgres: run npm run ingest to publish changes');
  const { embedders, answerer } = await loadEngineModels(options);
  const db = databaseOf(options);

  const guard = outageGuard(db, hooks.onWarning);

  const load = () => loadState(db, embedders, answerer);

  let loaded: Loaded;
  try {
    // Not through guard(): a database that cannot be opened is reported once, by the error (no outage warning before it).
    loaded = await load();
  } catch (error) {
    await db.close().catch(() => undefined);
    throw asDatabaseError(error, db.where);
  }

  const reloadIfChanged = async (): Promise<boolean> => {
    try {
      const generation = await guard(() => currentGeneration(db));
      if (generation === loaded.state.generation) return false;
      loaded = await guard(load);
    } catch (error) {
      // An outage was reported once by guard(); the question that follows fails with its own line.
      if (error instanceof DatabaseUnavailableError) return false;
      hooks.onWarning?.(`could not load the new index state, still answering from the previous one: ${(error as Error).message}`);
      return false;
    }
    hooks.onReload?.();
    return true;
  };
  const reloads = new Reloads(reloadIfChanged);

  return {
    embedders,
    ask: async (question, askOptions) => {
      await reloads.settled();
      try {
        return await guard(() => loaded.answerer.ask(question, askOptions));
      } catch (error) {
        if (!(error instanceof IndexChangedError)) throw error;
        // An ingest published between this state's load and the question: load the new state, ask again.
        await reloads.refresh();
        return guard(() => loaded.answerer.ask(question, askOptions));
      }
    },
    documents: () => [...loaded.documents.values()].map((doc) => ({ ...documentMeta(doc), copies: loaded.answerer.copiesOf(doc.id) })),
    getDocument: (id) => loaded.documents.get(id),
    refresh: reloads.refresh,
    close: () => void db.close().catch(() => undefined),
  };
}

/**
 * Translate and report database failures around `work`: one warning when the database goes away,
 * one when it is back; every failure while it is away is a DatabaseUnavailableError.
 */
function outageGuard(db: Database, onWarning?: (message: string) => void) {
  let down = false;
  return async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      const result = await work();
      if (down) {
        down = false;
        onWarning?.(`the index database at ${db.where} is reachable again`);
      }
      return result;
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      const unavailable =
        error instanceof DatabaseUnavailableError
          ? error
          : new DatabaseUnavailableError(`the index database at ${db.where} is unreachable`);
      if (!down) {
        down = true;
        onWarning?.(`${unavailable.message}; questions fail until it is back`);
      }
      throw unavailable;
    }
  };
}

/** The published state, checked (schema version, not empty, the same models), with an Answerer over it. */
async function loadState(
  db: Database,
  embedders: Embedders,
  answerer: (view: IndexView, documents: Map<string, LoadedDocument>) => Answerer,
): Promise<Loaded> {
  const problem = await notReady(db);
  if (problem) throw new UserError(problem);
  const state = await loadPostgresIndex(db);
  if (!state)
    throw new UserError(`the index in ${db.where} (schema ${db.schema}) is empty; run npm run ingest with INDEX_BACKEND=postgres first`);
  checkSettings(state, embedders);
  const documents = new Map(state.documents.map((doc) => [doc.id, doc]));
  return { state, documents, answerer: answerer(state.view, documents) };
}

/** The database's vectors must come from the models this process embeds questions with. */
function checkSettings(state: PostgresState, embedders: Embedders): void {
  const wanted = indexSettings(embedders, state.settings.chunker);
  if (sameSettings(state.settings, wanted)) return;
  const describe = (s: { model: string; rerankModels: string[] }) => [s.model, ...s.rerankModels].join(', ');
  throw new UserError(
    `the index in the database was built with ${describe(state.settings)}, but this process uses ${describe(wanted)}; set EMBEDDING_MODEL and RERANK_MODELS to match, or run npm run ingest with these settings`,
  );
}

export type { Database };
