import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/backend/types.js';
import { openEngine } from '../../src/engine/open.js';
import { copyOfSeeds, modelsDir, TEST_MODEL, tempDir } from '../support/helpers.js';

const WHEAT = 'How much wheat did Russia donate to Cuba?';
let engine: Engine | undefined;
afterEach(() => engine?.close());

async function open(corpusDir: string, watch = false) {
  engine = await openEngine({
    corpusDir,
    indexDir: tempDir('refresh-index-'),
    model: TEST_MODEL,
    rerankModels: [],
    modelsDir: modelsDir(),
    watch,
  });
  return engine;
}

describe('a running engine picks up corpus changes without a restart', () => {
  it('refresh() re-indexes a deleted and a changed article, and never quotes the old text', async () => {
    const corpusDir = await copyOfSeeds();
    const running = await open(corpusDir);
    expect((await running.ask(WHEAT)).results[0]!.docId).toBe('002_fd5b7e87bdf5c1a2');
    expect(await running.refresh()).toBe(false);

    rmSync(path.join(corpusDir, '002_fd5b7e87bdf5c1a2.txt'));
    writeFileSync(
      path.join(corpusDir, '000_f262ba03583b067a.txt'),
      'Grain news\n\nA Russian ship delivered 40,000 tonnes of wheat to Havana in March, port officials said.',
    );
    expect(await running.refresh()).toBe(true);

    const { results } = await running.ask(WHEAT);
    expect(results.map((r) => r.docId)).not.toContain('002_fd5b7e87bdf5c1a2');
    expect(results.map((r) => r.quote)).toContain(
      'A Russian ship delivered 40,000 tonnes of wheat to Havana in March, port officials said.',
    );
    expect(running.getDocument('002_fd5b7e87bdf5c1a2')).toBeUndefined();
  });

  it('with watch on, re-indexes by itself shortly after a file changes', async () => {
    const corpusDir = await copyOfSeeds();
    const running = await open(corpusDir, true);
    writeFileSync(
      path.join(corpusDir, 'sugar.txt'),
      'Sugar exports\n\nCuba shipped 300,000 tonnes of raw sugar to Russia under a barter deal, the ministry said.',
    );
    const deadline = Date.now() + 20_000;
    while (!running.getDocument('sugar') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await running.ask('How much sugar did Cuba ship to Russia?')).results[0]!.docId).toBe('sugar');
  });
});
