import { afterAll } from 'vitest';
import { openPostgresCommunity } from '../../src/community/postgres.js';
import { communityStoreSuite } from '../support/community-store-suite.js';
import { describeWithPostgres, testDatabase } from '../support/postgres.js';

describeWithPostgres('the community store on PostgreSQL (same migrations and queries as SQLite)', () => {
  const database = testDatabase();
  afterAll(() => database.drop());
  communityStoreSuite(() => openPostgresCommunity({ databaseUrl: database.url, databaseSchema: database.schema }));
});
