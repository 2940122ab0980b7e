import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { stopProcess } from '../support/cli-process.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { bodyOf, editFor } from '../support/harness.js';
import { copyOfSeeds, modelsDir, ROOT, TEST_MODEL, tempDir } from '../support/helpers.js';

/**
 * `npm start` with a token, as a separate process: src/cli/start.ts chooses the bot, logs in to the
 * fake Discord through DISCORD_API_URL, answers, and exits 0 on SIGTERM. The token never shows in its output.
 */
const TOKEN = 'test-token.that-must-never-be-logged';
let fake: FakeDiscord | undefined;
let running: ChildProcess | undefined;
// A failed expectation must not leave the bot running (it outlived a failed run by an hour, logging in again and again).
afterAll(async () => {
  await stopProcess(running);
  await fake?.close();
});

describe('npm start with DISCORD_TOKEN', () => {
  it('runs the bot, answers /ask, and shuts down cleanly on SIGTERM', async () => {
    fake = await FakeDiscord.start();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DISCORD_TOKEN: TOKEN,
        DISCORD_CLIENT_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        CORPUS_DIR: copyOfSeeds(),
        INDEX_DIR: tempDir('start-index-'),
        MODELS_DIR: modelsDir(),
        EMBEDDING_MODEL: TEST_MODEL,
        RERANK_MODELS: 'none',
        LOG_LEVEL: 'debug',
        // Set explicitly: one process, and discord.js must not read it as its own shard list.
        SHARDS: '1',
      },
    });
    running = child;
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));

    await fake.waitForReady(60_000);
    expect(fake.identifies.map((identify) => identify.shard)).toEqual([[0, 1]]);
    const { token } = fake.slashCommand('ask', [{ name: 'question', value: 'How much wheat did Russia donate to Cuba?' }]);
    const reply = bodyOf(await editFor(fake, token));
    // The answer in bold inside the quote: the answer marker runs in the real process too.
    expect(reply.embeds?.map((embed) => embed.description).join('\n')).toContain('**25,000 tonnes** of wheat');

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code, output).toBe(0);
    expect(output).toContain('shutting down');
    expect(output).not.toContain(TOKEN);
  }, 90_000);
});
