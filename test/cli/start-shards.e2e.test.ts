import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stopProcess } from '../support/cli-process.js';
import { withoutBold } from '../support/discord-markdown.js';
import { FakeDiscord, type GuildRef } from '../support/fake-discord.js';
import { freePort } from '../support/free-port.js';
import { bodyOf, editFor } from '../support/harness.js';
import { copyOfSeeds, modelsDir, ROOT, TEST_MODEL, tempDir } from '../support/helpers.js';

/**
 * `npm start` with SHARDS=2, as a separate process: the real discord.js ShardingManager forks two shard
 * processes (src/cli/shard.ts) that log in to the fake Discord as shards [0, 2] and [1, 2]. Each guild's
 * /ask reaches only its shard and is answered once; the manager is the index's one writer; a killed
 * shard is respawned and answers again; SIGTERM stops everything with status 0.
 */
const TOKEN = 'test-token.that-must-never-be-logged';
let fake: FakeDiscord | undefined;
let manager: ChildProcess | undefined;
afterAll(async () => {
  await stopProcess(manager);
  await fake?.close();
});

interface LogLine {
  event?: string;
  shard?: number;
  pid?: number;
  guildId?: string;
  command?: string;
  msg?: string;
}

function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

async function until<T>(what: string, probe: () => T | undefined, output: () => string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm start with SHARDS=2', () => {
  it('runs two shard processes under the ShardingManager, each answering its own guilds, and respawns a killed one', async () => {
    fake = await FakeDiscord.start({ shards: 2 });
    const metricsPort = await freePort();
    const guilds: GuildRef[] = [fake.addGuild({ name: 'Shard zero', shard: [0, 2] }), fake.addGuild({ name: 'Shard one', shard: [1, 2] })];
    const corpus = copyOfSeeds();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        SHARDS: '2',
        DISCORD_TOKEN: TOKEN,
        DISCORD_CLIENT_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        CORPUS_DIR: corpus,
        INDEX_DIR: tempDir('shards-index-'),
        MODELS_DIR: modelsDir(),
        EMBEDDING_MODEL: TEST_MODEL,
        RERANK_MODELS: 'none',
        COOLDOWN_SECONDS: '0',
        LOG_LEVEL: 'info',
        METRICS_PORT: String(metricsPort),
      },
    });
    manager = child;
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const logs = () => logLines(output);
    const shown = () => output;

    // Both shards log in, one IDENTIFY each, with their own shard ids.
    await fake.waitForShard(0, 2, 120_000);
    await fake.waitForShard(1, 2, 120_000);
    expect(fake.identifies.map((identify) => identify.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const spawned = (shard: number) => logs().filter((line) => line.event === 'shard-spawned' && line.shard === shard);
    const [pid0, pid1] = [spawned(0)[0]?.pid, spawned(1)[0]?.pid];
    expect(pid0).toBeGreaterThan(0);
    expect(pid1).toBeGreaterThan(0);
    expect(new Set([pid0, pid1, child.pid]).size).toBe(3);
    // The index was built once, by the manager; the shards only read it.
    expect(output.match(/^indexed \d+ documents/gm)).toHaveLength(1);

    /** Asks in a guild; the answer must come from the shard that owns it, exactly once. */
    const ask = async (guild: GuildRef, shard: number, question: string) => {
      const before = logs().filter((line) => line.event === 'command').length;
      const { token } = fake!.slashCommand('ask', [{ name: 'question', value: question }], { channelId: guild.channelId });
      const reply = bodyOf(await editFor(fake!, token));
      const handled = await until(
        'the command log line',
        () => {
          const lines = logs().filter((line) => line.event === 'command');
          return lines.length > before ? lines.slice(before) : undefined;
        },
        shown,
      );
      expect(handled).toEqual([expect.objectContaining({ command: 'ask', guildId: guild.guildId, shard })]);
      expect(fake!.callsFor(token).filter((call) => call.path.endsWith('/callback'))).toHaveLength(1);
      return { reply, pid: handled[0]!.pid };
    };
    const wheat = 'How much wheat did Russia donate to Cuba?';
    const first = await ask(guilds[0]!, 0, wheat);

    // Health per process: the manager on METRICS_PORT (200 while both shards are online), shard N on METRICS_PORT + 1 + N.
    const health = async (port: number) => {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { status: response.status, body: (await response.json()) as { checks: Record<string, unknown> } };
    };
    for (let tries = 0; (await health(metricsPort)).status !== 200 && tries < 100; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await health(metricsPort)).toEqual({
      status: 200,
      body: {
        ok: true,
        checks: {
          shards: [
            { id: 0, online: true },
            { id: 1, online: true },
          ],
          stopping: false,
        },
      },
    });
    for (const shard of [0, 1])
      expect((await health(metricsPort + 1 + shard)).body.checks).toMatchObject({ shard, gateway: 'ready', index: 'loaded' });
    const shardMetrics = await (await fetch(`http://127.0.0.1:${metricsPort + 1}/metrics`)).text();
    expect(shardMetrics).toMatch(/^quotebot_questions_total\{outcome="answered",shard="0"\} 1$/m);
    expect(withoutBold(first.reply.embeds?.map((embed) => embed.description).join('\n') ?? '')).toContain('25,000 tonnes of wheat');
    expect(first.pid).toBe(pid0);
    const second = await ask(guilds[1]!, 1, wheat);
    expect(withoutBold(second.reply.embeds?.map((embed) => embed.description).join('\n') ?? '')).toContain('25,000 tonnes of wheat');
    expect(second.pid).toBe(pid1);

    // A new article: the shard asks the manager to ingest it (the one writer), then quotes it.
    writeFileSync(
      path.join(corpus, 'harbour-bridge.md'),
      '---\ntitle: Harbour bridge reopens\n---\n\nThe harbour bridge reopened on Monday after repairs that cost the city 14.2 million euros.\n',
    );
    const bridge = await ask(guilds[1]!, 1, 'How much did the harbour bridge repairs cost?');
    expect(withoutBold(bridge.reply.embeds?.map((embed) => embed.description).join('\n') ?? '')).toContain('14.2 million euros');
    expect(output.match(/^indexed \d+ documents/gm)).toHaveLength(2);

    // Kill shard 1's process: the manager respawns it, it logs in again as shard [1, 2] and answers.
    process.kill(pid1!, 'SIGKILL');
    const pid1Again = await until('shard 1 to be respawned', () => spawned(1)[1]?.pid, shown);
    expect(pid1Again).not.toBe(pid1);
    await until('shard 1 to identify again', () => (fake!.identifies.length === 3 ? true : undefined), shown);
    expect(fake.identifies[2]?.shard).toEqual([1, 2]);
    await fake.waitForShard(1, 2, 120_000);
    const again = await ask(guilds[1]!, 1, wheat);
    expect(again.pid).toBe(pid1Again);
    expect(logs()).toContainEqual(expect.objectContaining({ event: 'shard-died', shard: 1, pid: pid1 }));

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code, output).toBe(0);
    expect(output).not.toContain(TOKEN);
    // Every shard process is gone with it.
    for (const pid of [pid0, pid1Again]) expect(() => process.kill(pid!, 0)).toThrow();
  }, 300_000);
});
