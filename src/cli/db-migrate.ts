import { COMMUNITY_MIGRATIONS } from '../community/migrations.js';
import { openPostgresCommunity } from '../community/postgres.js';
import { migrateCommunity } from '../community/sql.js';
import { UserError } from '../core/errors.js';
import { openDatabase } from '../postgres/db.js';
import { MIGRATIONS, migrate } from '../postgres/schema.js';
import { configFromEnv, runCli } from './run.js';

/** `npm run db:migrate`: create or update the index's tables in DATABASE_URL (npm run ingest does this too). */
runCli(async () => {
  const config = configFromEnv();
  if (!config.DATABASE_URL)
    throw new UserError('DATABASE_URL is not set; db:migrate needs the PostgreSQL database of INDEX_BACKEND=postgres');
  const db = openDatabase({ databaseUrl: config.DATABASE_URL, databaseSchema: config.DATABASE_SCHEMA });
  try {
    const applied = await migrate(db);
    const names = new Map(MIGRATIONS.map((m) => [m.version, m.name]));
    if (applied.length === 0)
      process.stderr.write(`schema ${db.schema} in ${db.where} is up to date (version ${Math.max(...MIGRATIONS.map((m) => m.version))})\n`);
    for (const version of applied) process.stderr.write(`applied migration ${version}: ${names.get(version)}\n`);
  } finally {
    await db.close();
  }
  // The bot's settings, questions and feedback: the same tables the SQLite file holds with INDEX_BACKEND=local.
  const community = openPostgresCommunity({ databaseUrl: config.DATABASE_URL, databaseSchema: config.DATABASE_SCHEMA });
  try {
    const names = new Map(COMMUNITY_MIGRATIONS.map((m) => [m.version, m.name]));
    for (const version of await migrateCommunity(community))
      process.stderr.write(`applied community migration ${version}: ${names.get(version)}\n`);
  } finally {
    await community.close();
  }
});
