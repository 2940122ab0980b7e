import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { stopProcess } from '../support/cli-process.js';
import { withoutBold } from '../support/discord-markdown.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { freePort } from '../support/free-port.js';
import { bodyOf, callbackFor } from '../support/harness.js';
import { copyOfSeeds, modelsDir, ROOT, TEST_MODEL, tempDir } from '../support/helpers.js';

/**
 * `npm start` with METRICS_PORT, as a separate process: /healthz is 503 while the models load and 200
 * once the bot is online, /metrics counts its answers, and SIGTERM with questions in flight answers
 * them all, logs out (gateway close 1000) and exits 0.
 */
const TOKEN = 'test-token.that-must-never-be-logged';
let fake: FakeDiscord | undefined;
let child: ChildProcess | undefined;
afterAll(async () => {
  await stopProcess(child);
  await fake?.close();
});

async function status(port: number, path: string): Promise<{ status: number; text: string } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: response.status, text: await response.text() };
  } catch {
    return undefined; // not listening (yet)
  }
}

async function poll<T>(probe: () => Promise<T | undefined>, output: () => string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out; output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm start with METRICS_PORT', () => {
  it('reports health and metrics, and on SIGTERM answers the questions in flight and logs out', async () => {
    fake = await FakeDiscord.start();
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DISCORD_TOKEN: TOKEN,
        DISCORD_API_URL: fake.apiUrl,
        CORPUS_DIR: copyOfSeeds(),
        INDEX_DIR: tempDir('start-ops-index-'),
        MODELS_DIR: modelsDir(),
        EMBEDDING_MODEL: TEST_MODEL,
        RERANK_MODELS: 'none',
        COOLDOWN_SECONDS: '0',
        LOG_LEVEL: 'info',
        SHARDS: '1',
        METRICS_PORT: String(port),
      },
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const shown = () => output;

    // The port opens before the models load: the first answer is "not yet".
    const first = await poll(() => status(port, '/healthz'), shown);
    expect(first.status).toBe(503);
    await fake.waitForReady(90_000);
    await poll(async () => ((await status(port, '/healthz'))?.status === 200 ? true : undefined), shown);

    const wheat = 'How much wheat did Russia donate to Cuba?';
    const warmUp = fake.slashCommand('ask', [{ name: 'question', value: wheat }]);
    await fake.waitForCall((call) => call.method === 'PATCH' && call.path.includes(warmUp.token), 60_000);
    const metrics = (await status(port, '/metrics'))!.text;
    expect(metrics).toMatch(/^quotebot_questions_total\{outcome="answered",shard="0"\} 1$/m);
    expect(metrics).toMatch(/^quotebot_index_documents\{shard="0"\} 5$/m);

    // Three questions acknowledged, then SIGTERM: each is still answered before the bot logs out.
    const tokens = ['a', 'b', 'c'].map(
      (user) => fake!.slashCommand('ask', [{ name: 'question', value: wheat }], { userId: `10000000000000000${user.charCodeAt(0)}` }).token,
    );
    await Promise.all(tokens.map((token) => callbackFor(fake!, token)));
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code, output).toBe(0);
    for (const token of tokens) {
      const final = fake.calls.find((call) => call.method === 'PATCH' && call.path.includes(token));
      const shown = bodyOf(final!)
        .embeds?.map((embed) => embed.description)
        .join('\n');
      expect(withoutBold(shown ?? '')).toContain('25,000 tonnes of wheat');
    }
    expect(fake.closeCodes).toContain(1000);
    expect(output).toContain('logged out; exiting');
    expect(output).not.toContain(TOKEN);
    expect(await status(port, '/healthz')).toBeUndefined(); // the port is closed with it
  }, 180_000);
});
