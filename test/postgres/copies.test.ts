import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Engine } from '../../src/backend/types.js';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { Embedder, type Embedders } from '../../src/embedding/embedder.js';
import { openEngine } from '../../src/engine/open.js';
import { type Database, openDatabase, query } from '../../src/postgres/db.js';
import { ingestPostgres } from '../../src/postgres/ingest.js';
import { copyOfSeeds, modelsDir, TEST_MODEL, tempDir } from '../support/helpers.js';
import { describeWithPostgres, type TestDatabase, testDatabase } from '../support/postgres.js';

/**
 * Copies of one story on the PostgreSQL backend: the signatures live in documents.signature, the
 * bots (no corpus files) group them when they load, and a database published before signatures
 * existed gets them on its next ingest without re-embedding.
 */
const SEED = '002_fd5b7e87bdf5c1a2';

describeWithPostgres('copies of one story in PostgreSQL', () => {
  let database: TestDatabase;
  let db: Database;
  let embedders: Embedders;
  let engine: Engine | undefined;
  let corpusDir: string;

  beforeAll(async () => {
    database = testDatabase();
    db = openDatabase({ databaseUrl: database.url, databaseSchema: database.schema });
    embedders = { primary: await Embedder.load({ model: TEST_MODEL, modelsDir: modelsDir() }), rerankers: [] };
    corpusDir = copyOfSeeds();
    const seedText = readFileSync(path.join(corpusDir, `${SEED}.txt`), 'utf8');
    writeFileSync(
      path.join(corpusDir, 'wire.md'),
      `---\ntitle: Putin ally in Havana\npublisher: Wire Service\ndate: 2022-02-14\nurl: https://wire.example/a\n---\n${seedText}`,
    );
  }, 120_000);

  afterAll(async () => {
    engine?.close();
    await db?.close();
    await database?.drop();
  });

  it('stores signatures, fills missing ones without re-embedding, and bots cite the first report', async () => {
    await ingestPostgres(loadCorpus(corpusDir), embedders, db);
    // As if published before signatures existed.
    await query(db.pool, db.where, 'UPDATE documents SET signature = NULL');
    const again = await ingestPostgres(loadCorpus(corpusDir), embedders, db);
    expect(again.added).toEqual([]);
    expect(again.changed).toEqual([]);
    const unsigned = (await query(db.pool, db.where, 'SELECT count(*)::int AS n FROM documents WHERE signature IS NULL')).rows[0].n;
    expect(unsigned).toBe(0);

    engine = await openEngine({
      corpusDir: tempDir('no-corpus-'),
      indexDir: tempDir('unused-index-'),
      model: TEST_MODEL,
      rerankModels: [],
      modelsDir: modelsDir(),
      backend: 'postgres',
      databaseUrl: database.url,
      databaseSchema: database.schema,
    });
    const first = (await engine.ask('How much wheat did Russia donate to Cuba?')).results[0]!;
    expect(first.docId).toBe('wire');
    expect(first.alsoPublishedBy.map((copy) => copy.docId)).toEqual([SEED]);
    expect(first.link).toMatch(/^https:\/\/wire\.example\/a#:~:text=/);
    expect(engine.documents().find((doc) => doc.id === SEED)!.copies).toEqual(['wire']);
  }, 300_000);
});
