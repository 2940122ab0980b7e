import path from 'node:path';
import { describe } from 'vitest';
import { openSqlite } from '../../src/community/sqlite.js';
import { communityStoreSuite } from '../support/community-store-suite.js';
import { tempDir } from '../support/helpers.js';

describe('the community store on SQLite', () => {
  const file = path.join(tempDir('community-store-'), 'community.sqlite');
  communityStoreSuite(() => openSqlite(file));
});
