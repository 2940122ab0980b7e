import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { Embedder, type Embedders } from '../../src/embedding/embedder.js';
import { openEngine } from '../../src/engine/open.js';
import { decodeDocumentTable, encodeDocumentTable } from '../../src/index/document-table.js';
import { ingest } from '../../src/index/ingest.js';
import { IndexCorruptError, readManifest, VERIFIED_STAMP } from '../../src/index/manifest.js';
import { loadIndex } from '../../src/index/store.js';
import { readAligned } from '../../src/index/vector-file.js';
import { spanProblem, verifyFiles } from '../../src/index/verify.js';
import { copyOfSeeds, modelsDir, TEST_MODEL, tempDir } from '../support/helpers.js';

let embedders: Embedders;
let corpusDir: string;
let goodIndex: string;

beforeAll(async () => {
  embedders = { primary: await Embedder.load({ model: TEST_MODEL, modelsDir: modelsDir() }), rerankers: [] };
  corpusDir = copyOfSeeds();
  goodIndex = tempDir('integrity-');
  await ingest(loadCorpus(corpusDir), embedders, goodIndex);
});

/** A copy of the good index with one byte of `file` (in its generation) inverted. */
function damaged(file: string, at = 0.5): string {
  const copy = tempDir('damaged-');
  cpSync(goodIndex, copy, { recursive: true });
  const target = path.join(copy, readManifest(copy)!.generation, file);
  const bytes = readFileSync(target);
  const offset = Math.floor(bytes.length * at);
  bytes[offset] = bytes[offset]! ^ 0xff;
  writeFileSync(target, bytes);
  return copy;
}

describe('index integrity', () => {
  it('records the size and sha256 of every file of the generation', () => {
    const manifest = readManifest(goodIndex)!;
    expect(Object.keys(manifest.files).sort()).toEqual(readdirSync(path.join(goodIndex, manifest.generation)).sort());
    expect(loadIndex(goodIndex)).not.toBeNull();
  });

  it.each(['documents.bin', 'chunk-vectors.f32', 'sentence-vectors.f32', 'chunks.hnsw'])(
    'refuses a flipped byte in %s, naming the file',
    (file) => {
      const copy = damaged(file);
      expect(() => loadIndex(copy)).toThrow(IndexCorruptError);
      expect(() => loadIndex(copy)).toThrow(new RegExp(`${file.replace('.', '\\.')} failed verification`));
    },
  );

  it('refuses a well-formed edit of an offset in documents.bin', () => {
    const copy = tempDir('edited-');
    cpSync(goodIndex, copy, { recursive: true });
    const file = path.join(copy, readManifest(copy)!.generation, 'documents.bin');
    const table = decodeDocumentTable(readAligned(file));
    const [id, first] = [...table][0]!;
    const sentences = [...first.sentences];
    sentences[0] = { start: sentences[0]!.start + 2, end: sentences[0]!.end };
    table.set(id, { ...first, chunks: [...first.chunks], sentences });
    writeFileSync(file, encodeDocumentTable(table));
    expect(() => loadIndex(copy)).toThrow(/documents\.bin (has \d+ bytes|failed verification)/);
  });

  it('rebuilds instead of crashing when the graph is damaged, and answers right', async () => {
    const copy = damaged('chunks.hnsw', 0.3);
    const warnings: string[] = [];
    const engine = await openEngine(
      { corpusDir, indexDir: copy, model: TEST_MODEL, rerankModels: [], modelsDir: modelsDir() },
      { onWarning: (m) => warnings.push(m) },
    );
    expect(warnings.join('\n')).toMatch(/chunks\.hnsw failed verification.*rebuilding/);
    const { results } = await engine.ask('How much wheat did Russia donate to Cuba?');
    expect(results[0]!.quote).toContain('25,000 tonnes of wheat');
    engine.close();
  });
});

describe('spanProblem', () => {
  const text = 'Havana said so. Russia gave wheat to Cuba.';
  it('accepts spans on word edges inside the text', () => {
    expect(
      spanProblem(text, [
        { start: 0, end: 15 },
        { start: 16, end: text.length },
      ]),
    ).toBeNull();
  });
  it('names a span that starts inside a word, sits on white space or runs past the text', () => {
    expect(spanProblem(text, [{ start: 18, end: text.length }])).toMatch(/inside a word/);
    expect(spanProblem(text, [{ start: 15, end: 20 }])).toMatch(/white space/);
    expect(spanProblem(text, [{ start: 16, end: text.length + 5 }])).toMatch(/past the text/);
  });

  it('keeps answering from the previous generation while a damaged one is rebuilt, and reuses its vectors', async () => {
    const corpus = copyOfSeeds();
    const index = tempDir('fallback-');
    await ingest(loadCorpus(corpus), embedders, index);
    const first = readManifest(index)!.generation;
    writeFileSync(
      path.join(corpus, 'sugar.txt'),
      'Sugar exports\n\nCuba shipped 300,000 tonnes of raw sugar to Russia under a barter deal, the ministry said.',
    );
    await ingest(loadCorpus(corpus), embedders, index);
    expect(readManifest(index, 'previous')!.generation).toBe(first);
    // Damage the generation in force.
    const current = path.join(index, readManifest(index)!.generation, 'chunk-vectors.f32');
    const bytes = readFileSync(current);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(current, bytes);

    const warnings: string[] = [];
    let rebuilt = false;
    const engine = await openEngine(
      { corpusDir: corpus, indexDir: index, model: TEST_MODEL, rerankModels: [], modelsDir: modelsDir(), backgroundIngest: true },
      { onWarning: (w) => warnings.push(w), onIngest: () => (rebuilt = true) },
    );
    expect(warnings.join('\n')).toMatch(/chunk-vectors\.f32 failed verification/);
    expect(warnings.join('\n')).toContain(`answering from the previous generation ${first} meanwhile`);
    // The previous generation answers at once (it never had the new article).
    expect((await engine.ask('How much wheat did Russia donate to Cuba?')).results[0]?.docId).toBe('002_fd5b7e87bdf5c1a2');
    expect(engine.getDocument('sugar')).toBeUndefined();
    const deadline = Date.now() + 60_000;
    while (!rebuilt && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(warnings.join('\n')).toContain(`reusing ${first} for the documents that did not change since`);
    expect(await engine.refresh()).toBe(true);
    expect((await engine.ask('How much sugar did Cuba ship to Russia?')).results[0]!.docId).toBe('sugar');
    engine.close();
  });
});

describe('verification stamp', () => {
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');

  it('skips hashing a generation that verified, until one of its files is written again', () => {
    const indexDir = tempDir('stamp-');
    const dir = path.join(indexDir, 'gen-a');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'table.f32'), 'vectors');
    const stamp = path.join(indexDir, VERIFIED_STAMP);
    verifyFiles(dir, { 'table.f32': { bytes: 7, sha256: sha('vectors') } }, stamp);
    expect(existsSync(stamp)).toBe(true);
    // A record that no longer matches the bytes is not looked at while the file is untouched...
    const wrong = { 'table.f32': { bytes: 7, sha256: sha('VECTORS') } };
    expect(() => verifyFiles(dir, wrong, stamp)).not.toThrow();
    expect(() => verifyFiles(dir, wrong)).toThrow(IndexCorruptError);
    // ...and is hashed again once the file is written, even with the same bytes and modification time.
    const { mtime } = statSync(path.join(dir, 'table.f32'));
    writeFileSync(path.join(dir, 'table.f32'), 'vectors');
    utimesSync(path.join(dir, 'table.f32'), mtime, mtime);
    expect(() => verifyFiles(dir, wrong, stamp)).toThrow(IndexCorruptError);
  });

  it('is written by loading, and a damaged copy of a stamped index is still caught', () => {
    expect(loadIndex(goodIndex)).not.toBeNull();
    expect(existsSync(path.join(goodIndex, VERIFIED_STAMP))).toBe(true);
    expect(() => loadIndex(damaged('chunk-vectors.f32'))).toThrow(IndexCorruptError);
  });
});
