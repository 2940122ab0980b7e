import { GatewayCloseCodes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot/bot.js';
import { GatewayClosedError } from '../../src/bot/sharding/gateway-close.js';
import { UserError } from '../../src/core/errors.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { capturingLogger, testConfig } from '../support/harness.js';
import { IntentGate } from '../support/intent-gate.js';
import { stubEngine } from '../support/stub-engine.js';

/** Discord closing the gateway for good: the bot says why in one line instead of carrying on (or exiting 0). */
let fake: FakeDiscord;
let gate: IntentGate;
afterEach(async () => {
  await gate?.close();
  await fake?.close();
});

async function gateWith(rule: (intents: number) => number | undefined): Promise<IntentGate> {
  fake = await FakeDiscord.start();
  gate = await IntentGate.start(fake, rule);
  return gate;
}

describe('when Discord closes the gateway for good', () => {
  it('a rejected token (4004) at login fails startBot with one line naming DISCORD_TOKEN, not its value', async () => {
    await gateWith(() => GatewayCloseCodes.AuthenticationFailed);
    const { logger } = capturingLogger();
    const error = await startBot(testConfig(gate.apiUrl), stubEngine(), { logger }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayClosedError);
    expect(error).toBeInstanceOf(UserError); // so the CLI exits 2 with this line
    expect((error as Error).message).toBe(
      'Discord rejected DISCORD_TOKEN (gateway close 4004, authentication failed); copy a new token from the Developer Portal (Bot → Reset Token)',
    );
    expect((error as Error).message).not.toContain('test-bot-token');
  });

  it('intents refused even without Message Content (4014 twice) fail startBot after the one fallback', async () => {
    await gateWith(() => GatewayCloseCodes.DisallowedIntents);
    const { logger } = capturingLogger();
    const error = await startBot(testConfig(gate.apiUrl), stubEngine(), { logger }).catch((e: unknown) => e);
    expect(gate.refusals).toBe(2);
    expect(error).toBeInstanceOf(GatewayClosedError);
    expect((error as Error).message).toMatch(/^Discord refused the gateway intents the bot needs \(close 4014\)/);
  });

  it('a token reset while running (4004 after READY) resolves bot.closed, so npm start can exit non-zero', async () => {
    await gateWith(() => undefined);
    const { logger } = capturingLogger();
    const bot = await startBot(testConfig(gate.apiUrl), stubEngine(), { logger });
    await fake.waitForReady();
    gate.closeConnections(GatewayCloseCodes.AuthenticationFailed);
    const closed = await bot.closed;
    expect(closed.code).toBe(GatewayCloseCodes.AuthenticationFailed);
    await bot.stop();
  });
});
