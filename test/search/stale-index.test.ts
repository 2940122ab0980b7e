import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { asWriteError, IndexWriteError } from '../../src/core/atomic.js';
import { openEngine } from '../../src/engine/open.js';
import { lockIndex } from '../../src/index/lock.js';
import { copyOfSeeds, modelsDir, TEST_MODEL, tempDir } from '../support/helpers.js';

const WHEAT = 'How much wheat did Russia donate to Cuba?';
const CHANGED = '000_f262ba03583b067a';

/** When a newer index cannot be written, the engine answers from the old one, never quoting a changed file at old offsets. */
describe('an engine over a stale index it cannot rewrite', () => {
  it('answers from the existing index while another process writes, without changed or new articles', async () => {
    const corpusDir = copyOfSeeds();
    const indexDir = tempDir('stale-index-');
    const options = { corpusDir, indexDir, model: TEST_MODEL, rerankModels: [], modelsDir: modelsDir() };
    (await openEngine(options)).close();
    writeFileSync(
      path.join(corpusDir, `${CHANGED}.txt`),
      'Grain news\n\nA Russian ship delivered 40,000 tonnes of wheat to Havana in March, port officials said.',
    );
    writeFileSync(
      path.join(corpusDir, 'sugar.txt'),
      'Sugar exports\n\nCuba shipped 300,000 tonnes of raw sugar to Russia under a barter deal.',
    );

    const writer = await lockIndex(indexDir);
    const warnings: string[] = [];
    const engine = await openEngine(options, { onWarning: (message) => warnings.push(message) });
    writer.release();

    expect(warnings).toEqual([
      expect.stringMatching(
        /^another process is writing the index in .*; answering from the existing index, without the 1 document\(s\) changed or removed since until it can be rewritten$/,
      ),
    ]);
    expect(engine.documents().map((doc) => doc.id)).not.toContain(CHANGED);
    expect(engine.getDocument('sugar')).toBeUndefined();
    const answer = await engine.ask(WHEAT, { k: 5 });
    expect(answer.results[0]!.quote).toContain('25,000 tonnes of wheat');
    expect(answer.results.map((r) => r.docId)).not.toContain(CHANGED);
    // Once the writer is gone, the next refresh brings the index up to date.
    writeFileSync(
      path.join(corpusDir, 'sugar.txt'),
      'Sugar exports\n\nCuba shipped 300,000 tonnes of raw sugar to Russia under a barter deal, the ministry said.',
    );
    expect(await engine.refresh()).toBe(true);
    expect(engine.getDocument(CHANGED)?.title).toBe('Grain news');
    engine.close();
  });

  it('never quotes a file changed after the corpus was read, before the engine reloads it', async () => {
    const corpusDir = copyOfSeeds();
    const options = { corpusDir, indexDir: tempDir('changed-file-'), model: TEST_MODEL, rerankModels: [], modelsDir: modelsDir() };
    (await openEngine(options)).close();
    const engine = await openEngine(options); // the index is current: no text read yet
    // The article is rewritten from the top: its stored offsets no longer point at its sentences.
    const file = path.join(corpusDir, `${CHANGED}.txt`);
    writeFileSync(file, `Correction: an earlier version of this article gave the wrong date.\n\n${readFileSync(file, 'utf8')}`);
    const answer = await engine.ask('When will the ship laden with Russian wheat arrive in Cuba?', { k: 5 });
    expect(answer.results.map((r) => r.docId)).not.toContain(CHANGED);
    for (const result of answer.results)
      expect(readFileSync(engine.getDocument(result.docId)!.path, 'utf8').slice(result.start!, result.end!)).toBe(result.quote);
    expect(await engine.refresh()).toBe(true);
    expect(
      (await engine.ask('When will the ship laden with Russian wheat arrive in Cuba?', { k: 5 })).results.map((r) => r.docId),
    ).toContain(CHANGED);
    engine.close();
  });
});

describe('an engine started from the corpus cache', () => {
  it('takes the corpus from the cache while no folder changed, never quotes a file rewritten in place meanwhile, and checks every file soon after', async () => {
    const corpusDir = copyOfSeeds();
    const options = { corpusDir, indexDir: tempDir('trusted-start-'), model: TEST_MODEL, rerankModels: [], modelsDir: modelsDir() };
    (await openEngine(options)).close();
    // Rewritten in place while no engine ran: the folder's stat does not move, so the start trusts the cache.
    const file = path.join(corpusDir, `${CHANGED}.txt`);
    writeFileSync(file, `Correction: an earlier version of this article gave the wrong date.\n\n${readFileSync(file, 'utf8')}`);
    const engine = await openEngine(options);
    const before = engine.getDocument(CHANGED)!.title;
    const question = 'When will the ship laden with Russian wheat arrive in Cuba?';
    const first = await engine.ask(question, { k: 5 });
    expect(first.results.map((r) => r.docId)).not.toContain(CHANGED);
    for (const result of first.results)
      expect(readFileSync(engine.getDocument(result.docId)!.path, 'utf8').slice(result.start!, result.end!)).toBe(result.quote);
    // The check after the start walks the folder, sees the new bytes and re-indexes them.
    await vi.waitFor(() => expect(engine.getDocument(CHANGED)!.title).not.toBe(before), { timeout: 15_000, interval: 100 });
    expect((await engine.ask(question, { k: 5 })).results.map((r) => r.docId)).toContain(CHANGED);
    engine.close();
  });
});

describe('asWriteError', () => {
  it('turns a full, read-only or forbidden disk into a one-line UserError naming the path, and leaves other errors alone', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/data/index/x.f32' });
    expect(asWriteError(enospc, '/data/index')).toEqual(new IndexWriteError('/data/index/x.f32', 'ENOSPC'));
    expect((asWriteError(enospc, '/data/index') as Error).message).toBe('cannot write /data/index/x.f32: the disk is full (ENOSPC)');
    expect((asWriteError({ code: 'EROFS' }, '/data/index') as Error).message).toBe(
      'cannot write /data/index: the file system is read-only (EROFS)',
    );
    expect((asWriteError({ code: 'EACCES', path: '/t' }, '/d', '/target') as Error).message).toBe(
      'cannot write /target: permission denied (EACCES)',
    );
    const other = new Error('boom');
    expect(asWriteError(other, '/d')).toBe(other);
  });
});
