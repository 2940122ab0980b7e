import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, expect, it } from 'vitest';
import { cliEnv, startScript } from '../support/cli-process.js';
import { withoutBold } from '../support/discord-markdown.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { bodyOf, editFor } from '../support/harness.js';
import { copyOfSeeds, ROOT, tempDir } from '../support/helpers.js';
import { describeWithPostgres, testDatabase } from '../support/postgres.js';

/**
 * Scale-out as deployed: two bot processes (`npm start`, each with its own gateway connection, here
 * each against its own fake Discord) share one PostgreSQL index and have no corpus files; one
 * `npm run ingest` job publishes a changed article and both answer from the new state at their
 * next question, without a restart.
 */
const QUESTION = 'How much wheat did Russia donate to Cuba?';
const database = testDatabase();
const corpusDir = copyOfSeeds();
const env = {
  INDEX_BACKEND: 'postgres',
  DATABASE_URL: database.url,
  DATABASE_SCHEMA: database.schema,
  CORPUS_DIR: corpusDir,
};
const fakes: FakeDiscord[] = [];
const bots: ChildProcess[] = [];

afterAll(async () => {
  for (const bot of bots) if (bot.exitCode === null) bot.kill('SIGKILL');
  for (const fake of fakes) await fake.close();
  await database.drop();
});

async function ingest(): Promise<string> {
  const run = startScript('src/cli/ingest.ts', [], env);
  const { status, stderr } = await run.finished;
  expect(status, stderr).toBe(0);
  return stderr;
}

async function startBot(): Promise<{ fake: FakeDiscord; child: ChildProcess; output: () => string }> {
  const fake = await FakeDiscord.start();
  fakes.push(fake);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // No corpus files on a bot machine: everything it quotes comes from the database.
    env: cliEnv({
      ...env,
      CORPUS_DIR: tempDir('bot-machine-'),
      INDEX_DIR: tempDir('bot-index-'),
      DISCORD_TOKEN: 'test-token',
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      COOLDOWN_SECONDS: '0',
    }),
  });
  bots.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { fake, child, output: () => output };
}

async function ask(fake: FakeDiscord): Promise<string> {
  const { token } = fake.slashCommand('ask', [{ name: 'question', value: QUESTION }]);
  const reply = bodyOf(await editFor(fake, token));
  return withoutBold((reply.embeds ?? []).map((embed) => embed.description ?? '').join('\n'));
}

describeWithPostgres('two bot processes sharing one PostgreSQL index', () => {
  it('both answer, one ingest publishes a change, both answer from the new state', async () => {
    const first = await ingest();
    expect(first).toMatch(/added 5, changed 0, removed 0/);
    // The summary says where it published: the schema and the database (never its password).
    expect(first).toMatch(new RegExp(`^  published to schema ${database.schema} of the database at [^\\s@]+:\\d+/\\w+$`, 'm'));
    // The command line reads the same index, and exits as soon as it has answered (idle connections do not hold it).
    const running = startScript('src/cli/ask.ts', ['--json', QUESTION], { ...env, CORPUS_DIR: tempDir('cli-machine-') });
    let answeredAt = 0;
    running.child.stdout!.once('data', () => (answeredAt = Date.now()));
    const asked = await running.finished;
    expect(asked.status, asked.stderr).toBe(0);
    expect(JSON.parse(asked.stdout).results[0].quote).toContain('25,000 tonnes of wheat');
    // From the printed answer to the exit: closing the engine and the pool, not the pool's 30 s idle
    // timeout (measured from the answer, so a slow host's start does not count).
    expect(Date.now() - answeredAt).toBeLessThan(5_000);
    const one = await startBot();
    const two = await startBot();
    await Promise.all([one.fake.waitForReady(90_000), two.fake.waitForReady(90_000)]);
    for (const bot of [one, two]) expect(await ask(bot.fake), bot.output()).toContain('25,000 tonnes of wheat');

    const file = path.join(corpusDir, '002_fd5b7e87bdf5c1a2.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('25,000 tonnes of wheat', '31,000 tonnes of wheat'));
    expect(await ingest()).toMatch(/added 0, changed 1, removed 0, unchanged 4/);

    for (const bot of [one, two]) {
      const reply = await ask(bot.fake);
      expect(reply, bot.output()).toContain('31,000 tonnes of wheat');
      expect(reply).not.toContain('25,000');
    }
    // Bots are readers of the shared index: /corpus add tells the admin where changes are made instead of writing a file nobody indexes.
    const admin =
      PermissionFlagsBits.ViewChannel |
      PermissionFlagsBits.SendMessages |
      PermissionFlagsBits.UseApplicationCommands |
      PermissionFlagsBits.ManageGuild;
    const { token } = one.fake.slashCommand('corpus', [{ name: 'url', value: 'https://news.example/story' }], {
      subcommand: 'add',
      permissions: admin,
    });
    expect(JSON.stringify(bodyOf(await editFor(one.fake, token)))).toContain(
      'Nothing was changed: this bot reads a shared index (INDEX_BACKEND=postgres)',
    );

    for (const bot of [one, two]) {
      bot.child.kill('SIGTERM');
      const [code] = await once(bot.child, 'exit');
      expect(code, bot.output()).toBe(0);
    }
  }, 240_000);
});
