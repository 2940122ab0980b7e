import { openPostgresCommunity } from './postgres.js';
import { openSqlite } from './sqlite.js';
import { CommunityStore } from './store.js';

export type CommunityStoreOptions =
  | { backend: 'local'; file: string }
  | { backend: 'postgres'; databaseUrl: string; databaseSchema?: string };

/**
 * Settings, questions and feedback live beside the index: a SQLite file next to the index folder, or the
 * index's PostgreSQL database (same tables, same migrations) with INDEX_BACKEND=postgres.
 */
export function openCommunityStore(options: CommunityStoreOptions): Promise<CommunityStore> {
  const db =
    options.backend === 'postgres'
      ? openPostgresCommunity({ databaseUrl: options.databaseUrl, databaseSchema: options.databaseSchema })
      : openSqlite(options.file);
  return CommunityStore.open(db).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
}
