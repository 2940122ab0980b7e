import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApplicationCommandType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeployError, deployCommands } from '../../src/bot/deploy.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { ROOT } from '../helpers.js';
import { testConfig } from './harness.js';

const run = promisify(execFile);
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const APPLICATION_ID = '123456789012345678';
const GUILD_ID = '223456789012345678';

/** `npm run deploy-commands` as a child process, with only the given variables set. */
async function deployCli(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const blank = { DISCORD_TOKEN: '', DISCORD_CLIENT_ID: '', DISCORD_GUILD_ID: '' };
  try {
    const { stdout, stderr } = await run(TSX, ['src/bot/deploy.ts'], { cwd: ROOT, env: { ...process.env, ...blank, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('deploy-commands', () => {
  let fake: FakeDiscord;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(() => fake?.close());

  it('registers every command to the guild when DISCORD_GUILD_ID is set', async () => {
    const config = testConfig(fake.apiUrl, { DISCORD_CLIENT_ID: APPLICATION_ID, DISCORD_GUILD_ID: GUILD_ID });
    const result = await deployCommands(config);
    expect(result).toEqual({ scope: 'guild', names: ['ask', 'corpus', 'help', 'search', 'source', 'sources', 'Find sources'] });
    const put = fake.calls.at(-1)!;
    expect(put).toMatchObject({ method: 'PUT', path: `/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`, status: 200 });
    const bodies = put.body as Array<{ name: string; type?: number; options?: Array<{ name: string; autocomplete?: boolean }> }>;
    expect(bodies.find((body) => body.name === 'Find sources')?.type).toBe(ApplicationCommandType.Message);
    expect(bodies.find((body) => body.name === 'source')?.options).toEqual([expect.objectContaining({ name: 'document', autocomplete: true })]);
  });

  it('registers globally without DISCORD_GUILD_ID', async () => {
    const result = await deployCommands(testConfig(fake.apiUrl, { DISCORD_CLIENT_ID: APPLICATION_ID }));
    expect(result.scope).toBe('global');
    expect(fake.calls.at(-1)).toMatchObject({ method: 'PUT', path: `/applications/${APPLICATION_ID}/commands`, status: 200 });
    expect(fake.unhandled).toEqual([]);
  });

  it('explains what is missing instead of calling Discord', async () => {
    const calls = fake.calls.length;
    await expect(deployCommands(testConfig(fake.apiUrl))).rejects.toThrow(DeployError);
    await expect(deployCommands(testConfig(fake.apiUrl))).rejects.toThrow(/DISCORD_TOKEN and DISCORD_CLIENT_ID .* must both be set/);
    expect(fake.calls.length).toBe(calls);
  });

  it('as a script: prints one line on success, and one clear line and exit code 1 on error', async () => {
    const ok = await deployCli({ DISCORD_TOKEN: 'test-bot-token', DISCORD_CLIENT_ID: APPLICATION_ID, DISCORD_GUILD_ID: GUILD_ID, DISCORD_API_URL: fake.apiUrl });
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toBe(`Registered 7 commands to server ${GUILD_ID}: ask, corpus, help, search, source, sources, Find sources\n`);

    const missing = await deployCli({ DISCORD_API_URL: fake.apiUrl });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('deploy-commands: DISCORD_TOKEN and DISCORD_CLIENT_ID (the application id) must both be set, e.g. in .env\n');
  });
});
