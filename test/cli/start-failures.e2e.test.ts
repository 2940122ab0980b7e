import { createServer } from 'node:net';
import { GatewayCloseCodes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startScript } from '../support/cli-process.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { copyOfSeeds, tempDir } from '../support/helpers.js';
import { IntentGate } from '../support/intent-gate.js';

/** `npm start` when Discord will not have the bot: exit 2 with one line, and never the token. */
const TOKEN = 'test-token.that-must-never-be-printed';
let fake: FakeDiscord | undefined;
let gate: IntentGate | undefined;
afterEach(async () => {
  await gate?.close();
  await fake?.close();
});

function startBotProcess(apiUrl: string) {
  return startScript('src/cli/start.ts', [], {
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: apiUrl,
    CORPUS_DIR: copyOfSeeds(),
    INDEX_DIR: tempDir('start-index-'),
  });
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('error:'));
}

describe('npm start when Discord closes the gateway for good', () => {
  it('exits 2 with one line when the token is rejected at login (4004)', async () => {
    fake = await FakeDiscord.start();
    gate = await IntentGate.start(fake, () => GatewayCloseCodes.AuthenticationFailed);
    const { status, stderr, stdout } = await startBotProcess(gate.apiUrl).finished;
    expect(status, stderr).toBe(2);
    expect(errorLines(stderr)).toEqual([
      'error: Discord rejected DISCORD_TOKEN (gateway close 4004, authentication failed); copy a new token from the Developer Portal (Bot → Reset Token)',
    ]);
    expect(stderr + stdout).not.toContain(TOKEN);
  }, 90_000);

  it('exits 2 with one line when Discord later closes the session with 4004 (a reset token)', async () => {
    fake = await FakeDiscord.start();
    gate = await IntentGate.start(fake, () => undefined);
    const bot = startBotProcess(gate.apiUrl);
    await fake.waitForReady(60_000);
    gate.closeConnections(GatewayCloseCodes.AuthenticationFailed);
    const { status, stderr, stdout } = await bot.finished;
    expect(status, stderr).toBe(2);
    expect(errorLines(stderr)).toEqual([expect.stringMatching(/^error: Discord rejected DISCORD_TOKEN \(gateway close 4004/)]);
    expect(stderr + stdout).not.toContain(TOKEN);
  }, 90_000);

  it('exits 2 with one line naming the address when Discord cannot be reached (offline, a wrong DISCORD_API_URL)', async () => {
    const apiUrl = `http://127.0.0.1:${await closedPort()}/api`;
    const { status, stderr, stdout } = await startBotProcess(apiUrl).finished;
    expect(status, stderr).toBe(2);
    expect(errorLines(stderr)).toEqual([
      `error: cannot reach Discord at ${apiUrl} (connection refused); check the network connection, or DISCORD_API_URL`,
    ]);
    expect(stderr + stdout).not.toContain(TOKEN);
  }, 90_000);
});

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
