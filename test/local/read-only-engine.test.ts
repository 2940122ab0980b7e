import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { openEngine } from '../../src/engine/open.js';
import { currentGeneration } from '../../src/index/freshness.js';
import { copyOfSeeds, modelsDir, TEST_MODEL, tempDir } from '../support/helpers.js';

const WHEAT = 'How much wheat did Russia donate to Cuba?';
const CHANGED = '000_f262ba03583b067a';

/**
 * A gateway shard's engine (`readOnly`): it loads what the one writer published and never writes,
 * leaving out files changed since, until the writer publishes a new generation.
 */
describe('a read-only engine', () => {
  it('refuses to start without an index, and writes nothing', async () => {
    const indexDir = tempDir('read-only-index-');
    const options = { corpusDir: copyOfSeeds(), indexDir, model: TEST_MODEL, rerankModels: [], modelsDir: modelsDir(), readOnly: true };
    const error = await openEngine(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/^there is no index in .* yet; this process only reads it/);
    expect(readdirSync(indexDir)).toEqual([]);
  });

  it('answers from the published index without the files changed since, and picks up the next generation', async () => {
    const corpusDir = copyOfSeeds();
    const indexDir = tempDir('read-only-index-');
    const options = { corpusDir, indexDir, model: TEST_MODEL, rerankModels: [], modelsDir: modelsDir() };
    const writer = await openEngine(options);
    const published = currentGeneration(indexDir);
    const warnings: string[] = [];
    const reader = await openEngine({ ...options, readOnly: true, watch: true }, { onWarning: (message) => warnings.push(message) });
    expect((await reader.ask(WHEAT, { k: 3 })).results[0]!.quote).toContain('25,000 tonnes of wheat');

    writeFileSync(
      path.join(corpusDir, `${CHANGED}.txt`),
      'Grain news\n\nA Russian ship delivered 40,000 tonnes of wheat to Havana in March, port officials said.',
    );
    writeFileSync(
      path.join(corpusDir, 'sugar.txt'),
      'Sugar exports\n\nCuba shipped 300,000 tonnes of raw sugar to Russia under a barter deal.',
    );
    expect(await reader.refresh()).toBe(true);
    // Nothing was written: the generation is the writer's, and the reader dropped the changed file.
    expect(currentGeneration(indexDir)).toBe(published);
    expect(warnings).toEqual(['1 document(s) changed or removed since the index was built; answering without them until it is rebuilt']);
    expect(reader.getDocument(CHANGED)).toBeUndefined();
    expect(reader.getDocument('sugar')).toBeUndefined();
    expect((await reader.ask(WHEAT, { k: 5 })).results.map((result) => result.docId)).not.toContain(CHANGED);

    // The writer publishes; the reader's next refresh loads it, changed and new files included.
    expect(await writer.refresh()).toBe(true);
    expect(currentGeneration(indexDir)).not.toBe(published);
    expect(await reader.refresh()).toBe(true);
    expect(reader.getDocument(CHANGED)?.title).toBe('Grain news');
    expect((await reader.ask('How much raw sugar did Cuba ship to Russia?', { k: 1 })).results[0]!.quote).toContain(
      '300,000 tonnes of raw sugar',
    );
    writer.close();
    reader.close();
  });
});
