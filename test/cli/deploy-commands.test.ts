import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/helpers.js';
import { useFakeDiscord } from '../support/use-fake-discord.js';

const run = promisify(execFile);
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const APPLICATION_ID = '123456789012345678';
const GUILD_ID = '223456789012345678';

/** `npm run deploy-commands` as a child process, with only the given variables set. */
async function deployCli(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const blank = { DISCORD_TOKEN: '', DISCORD_CLIENT_ID: '', DISCORD_GUILD_ID: '' };
  try {
    const { stdout, stderr } = await run(TSX, ['src/cli/deploy-commands.ts'], { cwd: ROOT, env: { ...process.env, ...blank, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run deploy-commands', () => {
  const discord = useFakeDiscord();

  it('prints one line on success', async () => {
    const ok = await deployCli({
      DISCORD_TOKEN: 'test-bot-token',
      DISCORD_CLIENT_ID: APPLICATION_ID,
      DISCORD_GUILD_ID: GUILD_ID,
      DISCORD_API_URL: discord().apiUrl,
    });
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toBe(
      `Registered 9 commands to server ${GUILD_ID}: ask, corpus, help, report, search, settings, source, sources, Find sources\n`,
    );
  });

  it('exits 2 with one clear line for what the user can fix, like every entry point', async () => {
    const missing = await deployCli({ DISCORD_API_URL: discord().apiUrl });
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toBe('error: DISCORD_TOKEN and DISCORD_CLIENT_ID (the application id) must both be set, e.g. in .env\n');

    const badId = await deployCli({ DISCORD_TOKEN: 'test-bot-token', DISCORD_CLIENT_ID: 'my-bot', DISCORD_API_URL: discord().apiUrl });
    expect(badId).toMatchObject({ code: 2, stdout: '' });
    expect(badId.stderr).toBe('error: invalid configuration: DISCORD_CLIENT_ID: must be a numeric application id\n');
  });
});
