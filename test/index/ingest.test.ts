import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { CORPUS_CACHE } from '../../src/corpus/corpus-cache.js';
import { Embedder, type Embedders } from '../../src/embedding/embedder.js';
import { pooledChunks } from '../../src/index/embed-documents.js';
import { isStale } from '../../src/index/freshness.js';
import { indexSettings, ingest } from '../../src/index/ingest.js';
import { IndexCorruptError, readManifest, VERIFIED_STAMP } from '../../src/index/manifest.js';
import { loadIndex, readDocuments } from '../../src/index/store.js';
import { copyOfSeeds, modelsDir, ROOT, TEST_MODEL, tempDir } from '../support/helpers.js';

let embedder: Embedder;
let embedders: Embedders;
/** Whether the index on disk is stale for this corpus, as ensureIndex decides it. */
const staleNow = (indexDir: string, corpus: ReturnType<typeof loadCorpus>) => {
  const manifest = readManifest(indexDir);
  return isStale(manifest, manifest && readDocuments(indexDir, manifest), corpus, indexSettings(embedders));
};
beforeAll(async () => {
  embedder = await Embedder.load({ model: TEST_MODEL, modelsDir: modelsDir() });
  embedders = { primary: embedder, rerankers: [] };
});

describe('ingest', () => {
  it('embeds only new or changed documents and drops deleted ones', async () => {
    const corpusDir = copyOfSeeds();
    const indexDir = tempDir('index-');
    const first = await ingest(loadCorpus(corpusDir), embedders, indexDir);
    expect(first.summary).toMatchObject({ documents: 5, unchanged: 0, removed: [], fullRebuild: null });
    expect(first.summary.added).toHaveLength(5);
    const vectorsOf = (index: typeof first.index, id: string) => {
      const dim = embedder.dimension;
      const row = index.chunkRowOf.get(id)!;
      return Array.from(index.chunkVectors.subarray(row * dim, (row + index.documents.get(id)!.chunks.length) * dim));
    };

    writeFileSync(
      path.join(corpusDir, 'new_article.txt'),
      'Wheat shipments\n\nA second ship carrying Russian wheat docked in Havana on Monday, officials said.',
    );
    appendFileSync(path.join(corpusDir, '003_45658bbe9a33cf7d.txt'), '\n\nLavrov later flew back to Moscow after the talks ended.');
    rmSync(path.join(corpusDir, '001_ae8a7436e91a9c39.txt'));
    const corpus = loadCorpus(corpusDir);
    expect(staleNow(indexDir, corpus)).toBe(true);

    const second = await ingest(corpus, embedders, indexDir);
    expect(second.summary).toMatchObject({
      added: ['new_article'],
      changed: ['003_45658bbe9a33cf7d'],
      removed: ['001_ae8a7436e91a9c39'],
      unchanged: 3,
    });
    expect(second.index.documents.has('001_ae8a7436e91a9c39')).toBe(false);
    // Unchanged documents keep their vectors bit for bit (they were not re-embedded).
    expect(vectorsOf(second.index, '002_fd5b7e87bdf5c1a2')).toEqual(vectorsOf(first.index, '002_fd5b7e87bdf5c1a2'));
    expect(staleNow(indexDir, loadCorpus(corpusDir))).toBe(false);

    // The graph finds the new document's chunk by its own vector.
    const reloaded = loadIndex(indexDir)!;
    const row = reloaded.chunkRowOf.get('new_article')!;
    const dim = embedder.dimension;
    const { neighbors } = reloaded.hnsw.searchKnn(Array.from(reloaded.chunkVectors.subarray(row * dim, (row + 1) * dim)), 1);
    expect(reloaded.chunkRows.docId(neighbors[0]!)).toBe('new_article');
  });

  it('re-embeds a document whose title changed, since every chunk is embedded under its title', async () => {
    const corpusDir = copyOfSeeds();
    const indexDir = tempDir('index-');
    await ingest(loadCorpus(corpusDir), embedders, indexDir);
    writeFileSync(path.join(corpusDir, 'metadata.json'), JSON.stringify({ '002_fd5b7e87bdf5c1a2': { title: 'Patrushev visits Havana' } }));
    const corpus = loadCorpus(corpusDir);
    expect(staleNow(indexDir, corpus)).toBe(true);
    const { summary, index } = await ingest(corpus, embedders, indexDir);
    expect(summary).toMatchObject({ added: [], changed: ['002_fd5b7e87bdf5c1a2'], unchanged: 4 });
    expect(index.documents.get('002_fd5b7e87bdf5c1a2')!.title).toBe('Patrushev visits Havana');
  });

  it('rebuilds everything when the chunker settings differ from the manifest', async () => {
    const corpusDir = copyOfSeeds();
    const indexDir = tempDir('index-');
    await ingest(loadCorpus(corpusDir), embedders, indexDir);
    const { summary } = await ingest(loadCorpus(corpusDir), embedders, indexDir, {
      chunker: { version: 2, maxChars: 300, overlapSentences: 0 },
    });
    expect(summary.added).toHaveLength(5);
    expect(summary.fullRebuild).toMatch(/other settings/);
  });

  it('treats a corrupt index as a clear error, and ingest rebuilds it', async () => {
    const corpusDir = copyOfSeeds();
    const indexDir = tempDir('index-');
    const { index } = await ingest(loadCorpus(corpusDir), embedders, indexDir);
    writeFileSync(path.join(indexDir, index.manifest.generation, 'chunk-vectors.f32'), 'garbage');
    expect(() => loadIndex(indexDir)).toThrow(IndexCorruptError);
    expect(() => loadIndex(indexDir)).toThrow(/chunk-vectors\.f32 has 7 bytes/);
    const warnings: string[] = [];
    const rebuilt = await ingest(loadCorpus(corpusDir), embedders, indexDir, { onWarning: (w) => warnings.push(w) });
    expect(rebuilt.summary.fullRebuild).toBe('the index in force was corrupt');
    expect(warnings[0]).toMatch(/chunk-vectors\.f32 has 7 bytes, the manifest says \d+/);
    expect(loadIndex(indexDir)!.chunkRows.length).toBe(rebuilt.summary.chunks);

    writeFileSync(path.join(indexDir, 'manifest.json'), '{"formatVersion": 1');
    expect(() => readManifest(indexDir)).toThrow(/manifest\.json is not valid JSON/);
  });
});

describe('rerank models', () => {
  it('store row-aligned chunk vectors per rerank model, reused for unchanged documents', async () => {
    const corpusDir = copyOfSeeds();
    const indexDir = tempDir('index-');
    const reranker = await Embedder.load({ model: 'Xenova/bge-small-en-v1.5', modelsDir: modelsDir() });
    const withReranker = { primary: embedder, rerankers: [reranker] };
    const first = await ingest(loadCorpus(corpusDir), withReranker, indexDir);
    expect(first.index.manifest.settings.rerankModels).toEqual(['Xenova/bge-small-en-v1.5']);
    expect(first.index.rerankVectors[0]!.length).toBe(first.index.chunkVectors.length);

    // Row r of the rerank table is the reranker's vector of chunk r, pooled from its sentences and
    // title (batching with padding moves int8 results by a few thousandths, so compare by nearest row).
    const { docId, chunk } = first.index.chunkRows.at(7)!;
    const indexed = first.index.documents.get(docId)!;
    const doc = loadCorpus(corpusDir).documents.find((d) => d.id === docId)!;
    const sentenceVectors = await reranker.embedPassages(Array.from(indexed.sentences, (s) => doc.text.slice(s.start, s.end)));
    const title = await reranker.embedPassages([doc.title]);
    const expected = pooledChunks([...indexed.chunks], [...indexed.sentences], sentenceVectors, title, 384).subarray(
      chunk * 384,
      (chunk + 1) * 384,
    );
    const table = first.index.rerankVectors[0]!;
    const similarity = (row: number) => expected.reduce((sum, v, i) => sum + v * table[row * 384 + i]!, 0);
    const rows = Array.from({ length: first.index.chunkRows.length }, (_, row) => row);
    expect(rows.reduce((best, row) => (similarity(row) > similarity(best) ? row : best), 0)).toBe(7);
    expect(similarity(7)).toBeGreaterThan(0.99);

    writeFileSync(path.join(corpusDir, 'extra.txt'), 'Extra article\n\nA brand new paragraph about sugar exports from Cuba to Russia.');
    const second = await ingest(loadCorpus(corpusDir), withReranker, indexDir);
    expect(second.summary.added).toEqual(['extra']);
    expect(loadIndex(indexDir)!.rerankVectors[0]!.length).toBe(second.index.chunkVectors.length);

    // Dropping the reranker is another setting: everything is rebuilt.
    const third = await ingest(loadCorpus(corpusDir), embedders, indexDir);
    expect(third.summary.fullRebuild).toMatch(/other settings/);
  });
});

describe('atomic writes', () => {
  it('leave a complete old or new index when ingest is killed at any moment', async () => {
    const corpusDir = copyOfSeeds();
    // A bigger corpus widens the window in which the process can die mid-write.
    const base = readFileSync(path.join(corpusDir, '002_fd5b7e87bdf5c1a2.txt'), 'utf8');
    for (let i = 0; i < 30; i++) writeFileSync(path.join(corpusDir, `copy_${i}.txt`), `${base}\n\nCopy number ${i} of the article.`);
    const indexDir = tempDir('index-');
    const run = (killAfterMs: number | null) =>
      new Promise<void>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/ingest.ts', '--corpus', corpusDir, '--index', indexDir], {
          cwd: ROOT,
          env: { ...process.env, MODELS_DIR: modelsDir(), EMBEDDING_MODEL: TEST_MODEL, RERANK_MODELS: 'none' },
          stdio: 'ignore',
        });
        if (killAfterMs !== null) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        child.on('exit', () => resolve());
      });

    await run(null);
    const complete = loadIndex(indexDir)!;
    for (const [i, delay] of [1200, 1700, 2200, 2700, 3200].entries()) {
      appendFileSync(path.join(corpusDir, `copy_${i}.txt`), `\n\nAn update, number ${i}.`);
      await run(delay);
      const index = loadIndex(indexDir)!; // throws if a half-written index were in force
      // Each update adds at most one chunk, and a killed run adds none.
      expect(index.chunkRows.length).toBeGreaterThanOrEqual(complete.chunkRows.length);
      expect(index.chunkRows.length).toBeLessThanOrEqual(complete.chunkRows.length + i + 1);
      expect(index.manifest.counts.documents).toBe(index.documents.size);
      expect(index.hnsw.getCurrentCount()).toBe(index.chunkRows.length);
      // A run killed between renaming its folder and switching the manifest leaves that folder as debris.
      expect(readdirSync(indexDir)).toContain(index.manifest.generation);
    }
    // The next complete run cleans up every temporary file and every generation but the one it
    // replaced (kept until the next publish, for processes still reading from it).
    const replaced = loadIndex(indexDir)!.manifest.generation;
    appendFileSync(path.join(corpusDir, 'copy_0.txt'), '\n\nOne more update.');
    await run(null);
    // (The loads above recorded the generation they verified: VERIFIED_STAMP.)
    expect(readdirSync(indexDir).sort()).toEqual(
      [replaced, loadIndex(indexDir)!.manifest.generation, 'manifest.json', 'previous-manifest.json', VERIFIED_STAMP, CORPUS_CACHE].sort(),
    );
  }, 120_000);

  it('resumes an interrupted ingest without embedding again what it finished', async () => {
    const corpusDir = copyOfSeeds();
    const corpus = loadCorpus(corpusDir);
    // Counts the characters each call embeds, and fails on the fourth call (an interruption).
    let embedded = 0;
    let calls = 0;
    let failOnCall = 4;
    const counting: Embedders = {
      primary: Object.assign(Object.create(embedder), {
        embedPassages: async (texts: string[]) => {
          if (++calls === failOnCall) throw new Error('interrupted');
          embedded += texts.reduce((sum, text) => sum + text.length, 0);
          return embedder.embedPassages(texts);
        },
      }),
      rerankers: [],
    };
    const indexDir = tempDir('index-');
    await expect(ingest(corpus, counting, indexDir, { sentencesPerPart: 10 })).rejects.toThrow('interrupted');
    expect(readdirSync(indexDir).some((entry) => entry.startsWith('checkpoint-'))).toBe(true);
    const beforeResume = embedded;
    expect(beforeResume).toBeGreaterThan(0);

    failOnCall = -1;
    const warnings: string[] = [];
    const resumed = await ingest(corpus, counting, indexDir, { sentencesPerPart: 10, onWarning: (w) => warnings.push(w) });
    expect(warnings.join('\n')).toMatch(/resuming an interrupted ingest: \d+ of 5 documents were already embedded/);
    const resumeChars = embedded - beforeResume;
    // The resumed index is the index a single run builds, and finishing it embedded less than that run.
    embedded = 0;
    const fresh = await ingest(corpus, counting, tempDir('index-'));
    expect(resumeChars).toBeLessThan(embedded);
    const rowsOf = (index: typeof fresh.index) => Array.from({ length: index.chunkRows.length }, (_, row) => index.chunkRows.at(row));
    expect(rowsOf(resumed.index)).toEqual(rowsOf(fresh.index));
    const cosine = (row: number) =>
      fresh.index.chunkVectors
        .subarray(row * 384, (row + 1) * 384)
        .reduce((sum, v, i) => sum + v * resumed.index.chunkVectors[row * 384 + i]!, 0);
    for (let row = 0; row < fresh.index.chunkRows.length; row++) expect(cosine(row)).toBeGreaterThan(0.99);
    expect(readdirSync(indexDir).some((entry) => entry.startsWith('checkpoint-'))).toBe(false);
  });
});
