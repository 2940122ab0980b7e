import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Engine, EngineOptions } from '../../src/backend/types.js';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { type Embedders, loadEmbedders } from '../../src/embedding/embedder.js';
import { openEngine } from '../../src/engine/open.js';
import { loadBm25 } from '../../src/postgres/bm25-store.js';
import { type Database, openDatabase } from '../../src/postgres/db.js';
import { ingestPostgres } from '../../src/postgres/ingest.js';
import { hnswIndexName } from '../../src/postgres/schema.js';
import questions from '../fixtures/seed-questions.json' with { type: 'json' };
import { copyOfSeeds, modelsDir, TEST_MODEL, TEST_READER, TEST_RERANK_MODELS, tempDir } from '../support/helpers.js';
import { describeWithPostgres, type TestDatabase, testDatabase } from '../support/postgres.js';

/**
 * The PostgreSQL backend on a real PostgreSQL with pgvector and the real default models: ingest,
 * ask, change a file, re-ingest (only that file is embedded), ask again; two engines sharing the
 * database both pick up the new state; and the same answers as the local backend, question for question.
 */
const WHEAT = 'How much wheat did Russia donate to Cuba?';
const WHEAT_DOC = '002_fd5b7e87bdf5c1a2';

describeWithPostgres('PostgreSQL backend', () => {
  let database: TestDatabase;
  let db: Database;
  let corpusDir: string;
  let embedders: Embedders;
  const engines: Engine[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  let options: EngineOptions;

  beforeAll(async () => {
    database = testDatabase();
    db = openDatabase({ databaseUrl: database.url, databaseSchema: database.schema });
    corpusDir = copyOfSeeds();
    embedders = await loadEmbedders({ model: TEST_MODEL, rerankModels: TEST_RERANK_MODELS, reader: TEST_READER, modelsDir: modelsDir() });
    options = {
      corpusDir: tempDir('no-corpus-'), // bots read documents from the database, not from files
      indexDir: tempDir('unused-index-'),
      model: TEST_MODEL,
      rerankModels: TEST_RERANK_MODELS,
      reader: TEST_READER,
      modelsDir: modelsDir(),
      backend: 'postgres',
      databaseUrl: database.url,
      databaseSchema: database.schema,
    };
  });

  afterAll(async () => {
    for (const engine of engines) engine.close();
    await db?.close();
    await database?.drop();
    for (const cleanup of cleanups) await cleanup();
  });

  const open = async (extra: Partial<EngineOptions> = {}) => {
    const engine = await openEngine({ ...options, ...extra });
    engines.push(engine);
    return engine;
  };

  it('says what to do when nothing was ingested yet', async () => {
    await expect(open()).rejects.toThrow(/run npm run ingest with INDEX_BACKEND=postgres/);
  });

  it('ingests, answers, re-ingests only a changed file, and running engines pick up the new state', async () => {
    const first = await ingestPostgres(loadCorpus(corpusDir), embedders, db);
    expect(first.added).toHaveLength(5);
    expect(first.chunks).toBeGreaterThan(20);
    // The first publish drops the migration's empty HNSW index and builds it once over all rows: it must be there, and valid.
    const indexes = await db.pool.query(
      `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::regclass`,
      [`${database.schema}.chunks`],
    );
    expect(indexes.rows).toContainEqual({ name: hnswIndexName(TEST_MODEL), valid: true });
    // BM25 is stored with the state, for every chunk and sentence row: bots load it instead of tokenising every text.
    const client = await db.pool.connect();
    try {
      const generation = (await client.query('SELECT generation FROM index_state')).rows[0].generation as string;
      const bm25 = await loadBm25(client, generation, { chunks: first.chunks, sentences: first.sentences });
      expect(bm25?.chunks.size).toBe(first.chunks);
      expect(bm25?.sentences.size).toBe(first.sentences);
      expect(await loadBm25(client, String(Number(generation) + 1), { chunks: first.chunks, sentences: first.sentences })).toBeNull();
    } finally {
      client.release();
    }

    const one = await open();
    const two = await open();
    for (const engine of [one, two]) {
      const answer = await engine.ask(WHEAT);
      expect(answer.results[0]!.docId).toBe(WHEAT_DOC);
      expect(answer.results[0]!.quote).toContain('25,000 tonnes of wheat');
      // Quotes are spans of the text stored in the database, which is the file's text.
      const text = readFileSync(path.join(corpusDir, `${WHEAT_DOC}.txt`), 'utf8');
      expect(text.slice(answer.results[0]!.start!, answer.results[0]!.end!)).toBe(answer.results[0]!.quote);
    }

    // Nothing changed: nothing embedded, no new generation, engines keep their state.
    const again = await ingestPostgres(loadCorpus(corpusDir), embedders, db);
    expect(again).toMatchObject({ added: [], changed: [], removed: [], unchanged: 5 });
    expect(await one.refresh()).toBe(false);

    // Change one file, remove another: only the changed one is embedded.
    const file = path.join(corpusDir, `${WHEAT_DOC}.txt`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('25,000 tonnes of wheat', '31,000 tonnes of wheat'));
    rmSync(path.join(corpusDir, '004_64023994e98280a4.txt'));
    let embedded = 0;
    const second = await ingestPostgres(loadCorpus(corpusDir), embedders, db, { onProgress: (_, total) => (embedded = total) });
    expect(second).toMatchObject({ added: [], changed: [WHEAT_DOC], removed: ['004_64023994e98280a4'], unchanged: 3 });
    const changedTexts = embedded;
    expect(changedTexts).toBeGreaterThan(0);

    for (const engine of [one, two]) {
      expect(await engine.refresh()).toBe(true);
      const answer = await engine.ask(WHEAT);
      expect(answer.results[0]!.quote).toContain('31,000 tonnes of wheat');
      expect(answer.results.map((r) => r.quote).join('\n')).not.toContain('25,000');
      expect(engine.documents().map((d) => d.id)).not.toContain('004_64023994e98280a4');
    }
  });

  it('an engine that missed a publish reloads and answers from the new state', async () => {
    const engine = await open();
    const file = path.join(corpusDir, `${WHEAT_DOC}.txt`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('31,000 tonnes of wheat', '47,000 tonnes of wheat'));
    await ingestPostgres(loadCorpus(corpusDir), embedders, db);
    // No refresh: its rows of the changed article are gone, so the question reloads and is asked again.
    const answer = await engine.ask(WHEAT);
    expect(answer.results[0]!.quote).toContain('47,000 tonnes of wheat');
  });

  it('gives the same answers as the local backend for every seed question, with filters too', async () => {
    // Both built from scratch: the int8 models' vectors depend slightly on which texts share a
    // batch, so an incrementally updated index is not bit-identical to a fresh one (on either backend).
    const seeds = copyOfSeeds();
    const fresh = testDatabase();
    const freshDb = openDatabase({ databaseUrl: fresh.url, databaseSchema: fresh.schema });
    try {
      await ingestPostgres(loadCorpus(seeds), embedders, freshDb);
    } finally {
      await freshDb.close();
    }
    cleanups.push(() => fresh.drop());
    const postgres = await open({ databaseSchema: fresh.schema });
    const local = await openEngine({ ...options, backend: 'local', corpusDir: seeds, indexDir: tempDir('local-parity-') });
    engines.push(local);
    const all = [...questions.answerable.map((q) => q.question), ...questions.offTopic];
    for (const question of all) {
      expect(await postgres.ask(question), question).toEqual(await local.ask(question));
    }
    const filtered = { publisher: 'Radio Habana', k: 5 };
    expect(await postgres.ask(WHEAT, filtered)).toEqual(await local.ask(WHEAT, filtered));
    expect((await postgres.ask(WHEAT, filtered)).results.every((r) => r.publisher === 'Radio Habana Cuba')).toBe(true);
    expect(postgres.documents()).toEqual(local.documents());
    // Two builds from scratch and 66 questions on each engine: 33 s alone on an idle 2-core host,
    // over the default 60 s when another test file embeds at the same time.
  }, 240_000);

  it('refuses vectors of other models instead of answering with them', async () => {
    await expect(open({ rerankModels: [] })).rejects.toThrow(
      /built with Xenova\/all-MiniLM-L6-v2, Xenova\/bge-small-en-v1.5, Xenova\/e5-small-v2/,
    );
  });
});
