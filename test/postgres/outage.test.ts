import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Engine } from '../../src/backend/types.js';
import { EngineQueue } from '../../src/bot/queue/engine-queue.js';
import { FairQueue } from '../../src/bot/queue/queue.js';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { loadEmbedders } from '../../src/embedding/embedder.js';
import { openEngine } from '../../src/engine/open.js';
import { DatabaseUnavailableError, openDatabase } from '../../src/postgres/db.js';
import { ingestPostgres } from '../../src/postgres/ingest.js';
import { capturingLogger } from '../support/capturing-logger.js';
import { modelsDir, SEEDS, TEST_MODEL, tempDir } from '../support/helpers.js';
import { describeWithPostgres, type TestDatabase, testDatabase } from '../support/postgres.js';
import { startTcpProxy, type TcpProxy, viaPort } from '../support/tcp-proxy.js';

/**
 * The database goes away while a bot is running (through a proxy the test cuts): each question
 * fails with one clear line naming host and port (never the password), the engine warns once, and
 * answering resumes by itself when the database is back, without a restart.
 */
const WHEAT = 'How much wheat did Russia donate to Cuba?';

describeWithPostgres('PostgreSQL going away mid-run', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let engine: Engine;
  const warnings: string[] = [];

  beforeAll(async () => {
    database = testDatabase();
    const db = openDatabase({ databaseUrl: database.url, databaseSchema: database.schema });
    const embedders = await loadEmbedders({ model: TEST_MODEL, rerankModels: [], modelsDir: modelsDir() });
    await ingestPostgres(loadCorpus(SEEDS), embedders, db);
    await db.close();
    const target = new URL(database.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    engine = await openEngine(
      {
        corpusDir: tempDir('no-corpus-'),
        indexDir: tempDir('unused-'),
        model: TEST_MODEL,
        rerankModels: [],
        modelsDir: modelsDir(),
        backend: 'postgres',
        databaseUrl: viaPort(database.url, proxy.port),
        databaseSchema: database.schema,
      },
      { onWarning: (message) => warnings.push(message) },
    );
  });

  afterAll(async () => {
    engine?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('fails each question with one line while the database is away, and recovers when it is back', async () => {
    expect((await engine.ask(WHEAT)).results[0]!.quote).toContain('25,000 tonnes');
    const password = new URL(database.url).password;

    await proxy.cut();
    const { logger, lines } = capturingLogger();
    const queue = new EngineQueue(engine, new FairQueue({ capacity: () => 16 }), logger);
    for (let i = 0; i < 3; i++) {
      const error = await queue.ask(WHEAT, {}).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      const message = (error as Error).message;
      expect(message).toMatch(new RegExp(`^the index database at 127\\.0\\.0\\.1:${proxy.port}/\\w+ is unreachable \\(`));
      expect(message).not.toContain('\n');
      if (password) expect(message).not.toContain(password);
    }
    // One warning for the outage, not one per question; the bot's refresh before each question logs nothing more.
    expect(warnings.filter((w) => w.includes('unreachable'))).toHaveLength(1);
    expect(lines.filter((line) => line.level >= 40)).toHaveLength(0);

    await proxy.restore();
    expect((await queue.ask(WHEAT, {})).results[0]!.quote).toContain('25,000 tonnes');
    expect(warnings.at(-1)).toMatch(/reachable again/);
  });
});
