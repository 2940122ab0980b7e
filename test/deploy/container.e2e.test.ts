import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutBold } from '../support/discord-markdown.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { freePort } from '../support/free-port.js';
import { bodyOf, editFor } from '../support/harness.js';
import { modelsDir, TEST_MODEL } from '../support/helpers.js';

/**
 * The image built from deploy/Containerfile, run with podman against the fake Discord on this
 * machine: it comes up healthy, answers /ask as the non-root user, and `podman stop` (SIGTERM) makes
 * it log out and exit 0. It needs an image already built and a podman that can run it, so it runs
 * only with QUOTEBOT_CONTAINER_IMAGE set (see docs/operations.md, Containers on this machine);
 * PODMAN is the podman command with any global flags, PODMAN_RUN_ARGS extra flags for `run`.
 */
const IMAGE = process.env.QUOTEBOT_CONTAINER_IMAGE;
const PODMAN = (process.env.PODMAN ?? 'podman').split(' ').filter(Boolean);
const RUN_ARGS = (process.env.PODMAN_RUN_ARGS ?? '').split(' ').filter(Boolean);
const NAME = `quotebot-test-${process.pid}`;

let fake: FakeDiscord | undefined;
let child: ChildProcess | undefined;
afterAll(async () => {
  if (child && child.exitCode === null) spawnSync(PODMAN[0]!, [...PODMAN.slice(1), 'rm', '-f', NAME]);
  await fake?.close();
});

describe.skipIf(!IMAGE)('the container image', () => {
  it('comes up healthy, answers as a non-root user, and stops cleanly', async () => {
    fake = await FakeDiscord.start();
    const port = await freePort();
    const env = {
      DISCORD_TOKEN: 'test-bot-token',
      DISCORD_API_URL: fake.apiUrl,
      METRICS_PORT: String(port),
      EMBEDDING_MODEL: TEST_MODEL,
      RERANK_MODELS: 'none',
      COOLDOWN_SECONDS: '0',
      SHARDS: '1',
    };
    const args = [...PODMAN.slice(1), 'run', '--name', NAME, '--rm', '--network', 'host', '-v', `${modelsDir()}:/models:ro`, ...RUN_ARGS];
    for (const [key, value] of Object.entries(env)) args.push('-e', `${key}=${value}`);
    child = spawn(PODMAN[0]!, [...args, IMAGE!], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));

    const deadline = Date.now() + 240_000;
    for (;;) {
      const status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`never healthy:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const { token } = fake.slashCommand('ask', [{ name: 'question', value: 'How much wheat did Russia donate to Cuba?' }]);
    const reply = bodyOf(await editFor(fake, token));
    expect(withoutBold(reply.embeds?.map((embed) => embed.description).join('\n') ?? '')).toContain('25,000 tonnes of wheat');
    const uid = spawnSync(PODMAN[0]!, [...PODMAN.slice(1), 'exec', NAME, 'id', '-u'], { encoding: 'utf8' }).stdout.trim();
    expect(uid).toBe('10001');

    const exited = once(child, 'exit');
    // Not spawnSync: the fake Discord shares this event loop and must answer the bot's logout meanwhile.
    spawn(PODMAN[0]!, [...PODMAN.slice(1), 'stop', '-t', '20', NAME], { stdio: 'ignore' });
    const [code] = await exited;
    expect(code, output).toBe(0);
    expect(output).toContain('logged out; exiting');
    expect(fake.closeCodes).toContain(1000);
  }, 300_000);
});
