import { type ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgresCommunity } from '../../src/community/postgres.js';
import { CommunityStore } from '../../src/community/store.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { buttonIds, callbackFor, editFor, type Harness, messageOf, newUser, startHarness } from '../support/harness.js';
import { describeWithPostgres, testDatabase } from '../support/postgres.js';
import { answered, result } from '../support/render-fixtures.js';
import { corpusDocument, stubEngine } from '../support/stub-engine.js';

/**
 * The bot with INDEX_BACKEND=postgres keeps settings and feedback in PostgreSQL: the same /settings,
 * feedback buttons and /report as on SQLite (test/bot/settings.e2e.test.ts), across a restart.
 */
describeWithPostgres('settings and feedback in PostgreSQL, end to end', () => {
  const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel;
  const database = testDatabase();
  const engine = stubEngine({
    documents: [corpusDocument('doc-1')],
    answer: (question) => answered([result(1, { docId: 'doc-1', start: 0, end: 17 })], question),
  });
  const openStore = () => CommunityStore.open(openPostgresCommunity({ databaseUrl: database.url, databaseSchema: database.schema }));
  let fake: FakeDiscord;
  let store: CommunityStore;
  let harness: Harness;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    store = await openStore();
    harness = await startHarness(engine, { community: store }, { COOLDOWN_SECONDS: '0' }, fake);
  });

  afterAll(async () => {
    await harness?.close();
    await store?.close();
    await database.drop();
  });

  const admin = async (
    command: string,
    subcommand: string | undefined,
    options: Array<{ name: string; value: number | string; type?: ApplicationCommandOptionType }>,
  ) => {
    const { token } = fake.slashCommand(command, options, { subcommand, userId: newUser(), permissions: ADMIN });
    const callback = await callbackFor(fake, token);
    return (callback.body as { type: number }).type === 5 ? messageOf(await editFor(fake, token)) : messageOf(callback);
  };

  it('applies a channel setting, stores "wrong source" feedback, reports it, and keeps both across a restart', async () => {
    expect((await admin('settings', 'channel', [{ name: 'results', value: 2 }])).content).toBe(
      `Saved the channel settings for <#${fake.channelId}>:`,
    );
    const { token } = fake.slashCommand('ask', [{ name: 'question', value: 'What happened?' }], { userId: newUser() });
    await editFor(fake, token);
    expect(engine.asked.at(-1)?.options).toEqual({ k: 2 });
    const answer = fake.originalMessage(token);
    const wrong = buttonIds(answer as never).find((id) => id.endsWith(':0:w'))!;
    await callbackFor(fake, fake.clickButton(wrong, { message: answer, userId: newUser() }).token);

    await harness.bot.stop();
    await store.close();
    store = await openStore();
    harness = await startHarness(engine, { community: store }, { COOLDOWN_SECONDS: '0' }, fake);
    const report = await admin('report', undefined, []);
    expect(report.content).toBe('**1** question asked in the last 7 days, **100%** answered.');
    expect(report.embeds![1]!.description).toBe('1. “Opening sentence” `doc-1` — 1×');
    const again = fake.slashCommand('ask', [{ name: 'question', value: 'And now?' }], { userId: newUser() });
    await editFor(fake, again.token);
    expect(engine.asked.at(-1)?.options).toEqual({ k: 2 });
  });
});
