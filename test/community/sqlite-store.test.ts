import path from 'node:path';
import { describe } from 'vitest';
import { openSqlite } from '../../src/community/sqlite.js';
import { tempDir } from '../helpers.js';
import { communityStoreSuite } from './store-suite.js';

describe('the community store on SQLite', () => {
  const file = path.join(tempDir('community-store-'), 'community.sqlite');
  communityStoreSuite(() => openSqlite(file));
});
