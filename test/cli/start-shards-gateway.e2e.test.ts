import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { GatewayCloseCodes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { stopProcess } from '../support/cli-process.js';
import { withoutBold } from '../support/discord-markdown.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { bodyOf, editFor } from '../support/harness.js';
import { copyOfSeeds, modelsDir, ROOT, TEST_MODEL, tempDir } from '../support/helpers.js';
import { IntentGate, refuseMessageContent } from '../support/intent-gate.js';

/**
 * The sharding manager against what Discord does to real bots: SHARDS=auto takes Discord's
 * recommendation (GET /gateway/bot); shards whose Message Content intent is refused (4014) log in again
 * without it and still come online; a token Discord rejects (4004) stops every shard and the manager
 * with status 2 and one line, instead of respawning shards forever.
 */
const TOKEN = 'test-token.that-must-never-be-logged';
let fake: FakeDiscord | undefined;
let gate: IntentGate | undefined;
let manager: ChildProcess | undefined;
afterEach(async () => {
  await stopProcess(manager);
  await gate?.close();
  await fake?.close();
});

function startManager(apiUrl: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: apiUrl,
      CORPUS_DIR: copyOfSeeds(),
      INDEX_DIR: tempDir('shards-index-'),
      MODELS_DIR: modelsDir(),
      EMBEDDING_MODEL: TEST_MODEL,
      RERANK_MODELS: 'none',
      COOLDOWN_SECONDS: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  manager = child;
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

const events = (output: string, event: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { event?: string; shard?: number })
    .filter((line) => line.event === event);

describe('the sharding manager against Discord', () => {
  it('SHARDS=auto runs the recommended shards; refused Message Content makes each log in again without it', async () => {
    fake = await FakeDiscord.start({ shards: 2 });
    gate = await IntentGate.start(fake, refuseMessageContent);
    const guild = fake.addGuild({ shard: [0, 2] });
    const { child, output } = startManager(gate.apiUrl, { SHARDS: 'auto' });

    await fake.waitForShard(0, 2, 120_000);
    await fake.waitForShard(1, 2, 120_000);
    expect(gate.refusals).toBe(2);
    expect(fake.identifies.map((identify) => identify.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    // The manager hears "online" from the client that did log in (the second one in each shard).
    const deadline = Date.now() + 10_000;
    while (events(output(), 'shard-ready').length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      events(output(), 'shard-ready')
        .map((line) => line.shard)
        .sort(),
    ).toEqual([0, 1]);
    expect(events(output(), 'sharding')).toEqual([expect.objectContaining({ shards: 2, requested: 'auto' })]);

    const { token } = fake.slashCommand('ask', [{ name: 'question', value: 'How much wheat did Russia donate to Cuba?' }], {
      channelId: guild.channelId,
    });
    const shown = bodyOf(await editFor(fake, token))
      .embeds?.map((embed) => embed.description)
      .join('\n');
    expect(withoutBold(shown ?? '')).toContain('25,000 tonnes of wheat');

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code, output()).toBe(0);
    expect(output()).not.toContain(TOKEN);
  }, 240_000);

  it('a token Discord rejects (4004) stops every shard and the manager with status 2, without a respawn loop', async () => {
    fake = await FakeDiscord.start();
    gate = await IntentGate.start(fake, () => GatewayCloseCodes.AuthenticationFailed);
    const { child, output } = startManager(gate.apiUrl, { SHARDS: '2' });

    const [code] = await once(child, 'exit');
    expect(code, output()).toBe(2);
    expect(output()).toContain('error: Discord rejected DISCORD_TOKEN (gateway close 4004, authentication failed)');
    expect(output()).toMatch(/^error: shard \d exited with status 2/m);
    expect(output()).not.toContain(TOKEN);
    // At most one extra start (the respawn discord.js begins before the manager stops everything).
    expect(events(output(), 'shard-spawned').length).toBeLessThanOrEqual(3);
    expect(fake.identifies).toHaveLength(0);
  }, 240_000);
});
