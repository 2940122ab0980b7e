import { afterAll, describe, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../src/bot/bot.js';
import { type BotOps, opsPort, startBotOps } from '../../src/ops/bot-ops.js';
import { startManagerOps } from '../../src/ops/manager-ops.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { bodyOf, capturingLogger, editFor, newUser, testConfig } from '../support/harness.js';
import { corpusDocument, stubEngine } from '../support/stub-engine.js';

/**
 * The operators' port against the real bot (discord.js logged into the fake Discord): /healthz
 * follows the index and the gateway, /metrics counts what the bot did, in the Prometheus text format.
 */
const { logger } = capturingLogger();

async function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** The value of one series, e.g. `quotebot_questions_total{outcome="answered",shard="0"}`. */
function series(text: string, name: string): number | undefined {
  const line = text.split('\n').find((row) => row.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

async function until(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('/healthz and /metrics of a bot process', () => {
  let ops: BotOps;
  let bot: RunningBot | undefined;
  let fake: FakeDiscord | undefined;
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    await ops?.close();
  });

  it('is 503 until the index is loaded and the gateway ready, then 200; counts questions; 503 again when the gateway drops', async () => {
    ops = await startBotOps({ host: '127.0.0.1', port: 0 }, 0, logger);
    const port = ops.port!;
    expect(await get(port, '/healthz')).toMatchObject({ status: 503, type: 'application/json' });
    ops.indexLoaded();
    expect(JSON.parse((await get(port, '/healthz')).text)).toEqual({
      ok: false,
      checks: { shard: 0, index: 'loaded', gateway: 'not ready', stopping: false },
    });

    let answered = true;
    const engine = stubEngine({
      documents: [corpusDocument('doc-1'), corpusDocument('doc-2'), corpusDocument('doc-3')],
      answer: (question) => ({ question, answered, results: [], nearest: [] }) as never,
    });
    // A heartbeat every second, so the gateway latency is measured within the test.
    fake = await FakeDiscord.start({ heartbeatIntervalMs: 1_000 });
    bot = await startBot(testConfig(fake.apiUrl, { COOLDOWN_SECONDS: '0' }), engine, { logger, metrics: ops.metrics });
    await fake.waitForReady();
    ops.botStarted(bot.client);
    expect(await get(port, '/healthz')).toMatchObject({ status: 200 });

    for (const covered of [true, false, false]) {
      answered = covered;
      const { token } = fake!.slashCommand('ask', [{ name: 'question', value: 'How much wheat?' }], { userId: newUser() });
      expect(bodyOf(await editFor(fake!, token)).allowed_mentions).toMatchObject({ parse: [] });
    }
    await until(async () => series((await get(port, '/metrics')).text, 'quotebot_questions_total{outcome="not_covered",shard="0"}') === 2);
    const metrics = await get(port, '/metrics');
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(series(metrics.text, 'quotebot_questions_total{outcome="answered",shard="0"}')).toBe(1);
    expect(series(metrics.text, 'quotebot_questions_total{outcome="busy",shard="0"}')).toBe(0);
    expect(series(metrics.text, 'quotebot_answer_seconds_count{shard="0"}')).toBe(3);
    expect(series(metrics.text, 'quotebot_queue_wait_seconds_count{shard="0"}')).toBe(3);
    expect(series(metrics.text, 'quotebot_queue_depth{shard="0"}')).toBe(0);
    expect(series(metrics.text, 'quotebot_queue_capacity{shard="0"}')).toBeGreaterThan(1_000);
    expect(series(metrics.text, 'quotebot_index_documents{shard="0"}')).toBe(3);
    expect(series(metrics.text, 'quotebot_index_reloads_total{shard="0"}')).toBe(0);
    expect(metrics.text).toContain('process_resident_memory_bytes{shard="0"}');
    // The question itself is users' text: never in the metrics.
    expect(metrics.text).not.toContain('wheat');
    await until(async () => (series((await get(port, '/metrics')).text, 'quotebot_gateway_latency_seconds{shard="0"}') ?? -1) >= 0);

    expect((await get(port, '/nothing')).status).toBe(404);
    expect((await get(port, '/healthz', 'POST')).status).toBe(405);

    // Discord goes away: discord.js keeps reconnecting, and the process is not healthy meanwhile.
    await fake!.close();
    fake = undefined;
    await until(async () => (await get(port, '/healthz')).status === 503);
    ops.stopping();
    expect(JSON.parse((await get(port, '/healthz')).text).checks.stopping).toBe(true);
  });
});

describe('the sharding manager’s port', () => {
  it('is 200 only while every shard is online, and lists them', async () => {
    const states = [
      { id: 0, ready: true },
      { id: 1, ready: false },
    ];
    const server = (await startManagerOps({ host: '127.0.0.1', port: 0 }, () => states, logger))!;
    try {
      const before = await get(server.port, '/healthz');
      expect(before.status).toBe(503);
      expect(JSON.parse(before.text).checks.shards).toEqual([
        { id: 0, online: true },
        { id: 1, online: false },
      ]);
      states[1]!.ready = true;
      expect((await get(server.port, '/healthz')).status).toBe(200);
      const metrics = (await get(server.port, '/metrics')).text;
      expect(series(metrics, 'quotebot_shards{state="online",shard="manager"}')).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('gives the manager METRICS_PORT and shard N the port METRICS_PORT + 1 + N', () => {
    expect(opsPort(9464)).toBe(9464);
    expect(opsPort(9464, 0)).toBe(9465);
    expect(opsPort(9464, 3)).toBe(9468);
    expect(opsPort(undefined, 3)).toBeUndefined();
  });

  it('names a port in use in one line', async () => {
    const first = (await startManagerOps({ host: '127.0.0.1', port: 0 }, () => [], logger))!;
    try {
      await expect(startBotOps({ host: '127.0.0.1', port: first.port }, 0, logger)).rejects.toThrow(
        `METRICS_PORT: cannot listen on 127.0.0.1:${first.port} (EADDRINUSE)`,
      );
    } finally {
      await first.close();
    }
  });
});
