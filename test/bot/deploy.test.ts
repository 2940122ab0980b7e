import { ApplicationCommandType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DeployError, deployCommands } from '../../src/bot/deploy.js';
import { UserError } from '../../src/core/errors.js';
import { testConfig } from '../support/harness.js';
import { useFakeDiscord } from '../support/use-fake-discord.js';

const APPLICATION_ID = '123456789012345678';
const GUILD_ID = '223456789012345678';

describe('deployCommands', () => {
  const discord = useFakeDiscord();

  it('registers every command to the guild when DISCORD_GUILD_ID is set', async () => {
    const fake = discord();
    const config = testConfig(fake.apiUrl, { DISCORD_CLIENT_ID: APPLICATION_ID, DISCORD_GUILD_ID: GUILD_ID });
    const result = await deployCommands(config);
    expect(result).toEqual({
      scope: 'guild',
      names: ['ask', 'corpus', 'help', 'report', 'search', 'settings', 'source', 'sources', 'Find sources'],
    });
    const put = fake.calls.at(-1)!;
    expect(put).toMatchObject({ method: 'PUT', path: `/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`, status: 200 });
    const bodies = put.body as Array<{ name: string; type?: number; options?: Array<{ name: string; autocomplete?: boolean }> }>;
    expect(bodies.find((body) => body.name === 'Find sources')?.type).toBe(ApplicationCommandType.Message);
    expect(bodies.find((body) => body.name === 'source')?.options).toEqual([
      expect.objectContaining({ name: 'document', autocomplete: true }),
    ]);
  });

  it('registers globally without DISCORD_GUILD_ID', async () => {
    const fake = discord();
    const result = await deployCommands(testConfig(fake.apiUrl, { DISCORD_CLIENT_ID: APPLICATION_ID }));
    expect(result.scope).toBe('global');
    expect(fake.calls.at(-1)).toMatchObject({ method: 'PUT', path: `/applications/${APPLICATION_ID}/commands`, status: 200 });
    expect(fake.unhandled).toEqual([]);
  });

  it('explains what is missing instead of calling Discord', async () => {
    const fake = discord();
    const calls = fake.calls.length;
    await expect(deployCommands(testConfig(fake.apiUrl))).rejects.toThrow(DeployError);
    await expect(deployCommands(testConfig(fake.apiUrl))).rejects.toThrow(UserError);
    await expect(deployCommands(testConfig(fake.apiUrl))).rejects.toThrow(/DISCORD_TOKEN and DISCORD_CLIENT_ID .* must both be set/);
    expect(fake.calls.length).toBe(calls);
  });
});
