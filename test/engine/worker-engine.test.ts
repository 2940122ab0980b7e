import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { readsTextOnDemand } from '../../src/corpus/document-file.js';
import { openEngine } from '../../src/engine/open.js';
import { openWorkerEngine, type WorkerEngine } from '../../src/engine/worker-engine.js';
import { copyOfSeeds, modelsDir, TEST_MODEL, TEST_READER, TEST_RERANK_MODELS, tempDir } from '../support/helpers.js';

const WHEAT = 'How much wheat did Russia donate to Cuba?';

/**
 * The engine in a worker thread answers exactly like the engine in-process, mirrors its documents,
 * follows its reloads, keeps user errors user errors, and leaves this thread's event loop free.
 */
describe('openWorkerEngine', () => {
  let corpusDir: string;
  let indexDir: string;
  let engine: WorkerEngine;
  const warnings: string[] = [];

  beforeAll(async () => {
    corpusDir = copyOfSeeds();
    indexDir = tempDir('worker-index-');
    // Build the index at this thread's priority: the worker lowers its own (nice 10), and on a
    // machine busy with other test files it would take minutes to embed.
    (
      await openEngine({
        corpusDir,
        indexDir,
        model: TEST_MODEL,
        rerankModels: TEST_RERANK_MODELS,
        reader: TEST_READER,
        modelsDir: modelsDir(),
      })
    ).close();
    engine = await openWorkerEngine(
      { corpusDir, indexDir, model: TEST_MODEL, rerankModels: TEST_RERANK_MODELS, reader: TEST_READER, modelsDir: modelsDir() },
      { onWarning: (message) => warnings.push(message) },
    );
  });
  afterAll(() => engine?.close());

  it('answers as the in-process engine does, and mirrors its documents', async () => {
    const inProcess = await openEngine({
      corpusDir,
      indexDir,
      model: TEST_MODEL,
      rerankModels: TEST_RERANK_MODELS,
      reader: TEST_READER,
      modelsDir: modelsDir(),
    });
    expect(await engine.ask(WHEAT, { k: 3 })).toEqual(await inProcess.ask(WHEAT, { k: 3 }));
    expect(engine.documents()).toEqual(inProcess.documents());
    const first = inProcess.documents()[0]!.id;
    expect(engine.getDocument(first)).toMatchObject({ id: first, text: inProcess.getDocument(first)!.text });
    // The worker does not send every text (that would read the whole corpus): the mirror reads one when asked.
    expect(readsTextOnDemand(engine.getDocument(first)!)).toBe(true);
    inProcess.close();
  });

  it('passes a rejected question back as a UserError, which the bot tells the user', async () => {
    const error = await engine.ask('   ').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe('the question is empty');
  });

  it('refresh() picks up a changed corpus, and the mirrored documents follow', async () => {
    rmSync(path.join(corpusDir, '002_fd5b7e87bdf5c1a2.txt'));
    writeFileSync(
      path.join(corpusDir, 'sugar.txt'),
      'Sugar exports\n\nCuba shipped 300,000 tonnes of raw sugar to Russia under a barter deal, the ministry said.',
    );
    expect(await engine.refresh()).toBe(true);
    expect(engine.getDocument('002_fd5b7e87bdf5c1a2')).toBeUndefined();
    expect(engine.getDocument('sugar')?.title).toBe('Sugar exports');
    expect((await engine.ask('How much sugar did Cuba ship to Russia?')).results[0]!.docId).toBe('sugar');
  });

  it('keeps this thread free while it answers: its event loop is idle through 30 questions', async () => {
    // Utilisation, not delay, so the check does not depend on the machine's speed: the in-process
    // engine keeps the loop busy the whole time (1.0), the worker leaves it idle (about 0.003 here).
    const before = performance.eventLoopUtilization();
    await Promise.all(Array.from({ length: 30 }, (_, i) => engine.ask(`${WHEAT} (${i})`)));
    expect(performance.eventLoopUtilization(before).utilization).toBeLessThan(0.2);
  });

  it('fails to open with the engine error (a missing corpus is a UserError)', async () => {
    const error = await openWorkerEngine({
      corpusDir: '/no/such/corpus',
      indexDir: tempDir(),
      model: TEST_MODEL,
      rerankModels: [],
      modelsDir: modelsDir(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/^corpus folder not found: \/no\/such\/corpus/);
  });
});
