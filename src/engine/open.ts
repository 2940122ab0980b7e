import type { Engine, EngineHooks, EngineOptions, IndexBackend } from '../backend/types.js';
import { localBackend } from '../local/backend.js';

/** The index backend the options name: the one place that chooses between them. */
export async function openBackend(options: EngineOptions): Promise<IndexBackend> {
  if (options.backend !== 'postgres') return localBackend(options);
  // Loaded only when used: the local backend never loads the database client.
  const { postgresBackend } = await import('../postgres/backend.js');
  return postgresBackend(options);
}

/** Load the models, corpus and index of the backend the options name, and answer questions over them. */
export async function openEngine(options: EngineOptions, hooks: EngineHooks = {}): Promise<Engine> {
  return (await openBackend(options)).openEngine(hooks);
}
