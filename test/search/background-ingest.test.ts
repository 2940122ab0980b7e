import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open.js';
import { copyOfSeeds, modelsDir, TEST_MODEL, tempDir } from '../support/helpers.js';

describe('background ingest (the bot at start-up)', () => {
  it('answers from the previous index at once, then from the new one when the ingest ends', async () => {
    const corpusDir = copyOfSeeds();
    const indexDir = tempDir('background-index-');
    const options = { corpusDir, indexDir, model: TEST_MODEL, rerankModels: [], modelsDir: modelsDir() };
    (await openEngine(options)).close();

    writeFileSync(
      path.join(corpusDir, 'sugar.txt'),
      'Sugar exports\n\nCuba shipped 300,000 tonnes of raw sugar to Russia under a barter deal, the ministry said.',
    );
    const warnings: string[] = [];
    let ingested = false;
    const engine = await openEngine(
      { ...options, backgroundIngest: true },
      { onWarning: (w) => warnings.push(w), onIngest: () => (ingested = true) },
    );
    // Open returned before the ingest: the old index answers, without the new article.
    expect(ingested).toBe(false);
    expect(engine.getDocument('sugar')).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/being updated in the background/);
    expect((await engine.ask('How much wheat did Russia donate to Cuba?')).results[0]?.docId).toBe('002_fd5b7e87bdf5c1a2');

    const deadline = Date.now() + 60_000;
    while (!ingested && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ingested).toBe(true);
    expect(await engine.refresh()).toBe(true); // the check before the next question loads the new generation
    expect((await engine.ask('How much sugar did Cuba ship to Russia?')).results[0]!.docId).toBe('sugar');
    engine.close();
  });
});
