import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { copyOfSeeds } from '../support/helpers.js';

describe('metadata overrides', () => {
  it('reject a date the calendar does not have', () => {
    const dir = copyOfSeeds();
    writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify({ '003_45658bbe9a33cf7d': { date: '2023-02-31' } }));
    expect(() => loadCorpus(dir)).toThrow(UserError);
    expect(() => loadCorpus(dir)).toThrow(
      /metadata\.json is malformed: 003_45658bbe9a33cf7d\.date: must be YYYY-MM-DD, a date that exists$/,
    );
  });
});
