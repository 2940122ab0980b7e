import path from 'node:path';
import { ApplicationCommandOptionType, ChannelType, InteractionResponseType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ONLY_TEXT, NOT_HERE_TEXT } from '../../src/bot/preconditions.js';
import { loadRegistry } from '../../src/bot/registry.js';
import { FakeCommunityDiscord } from '../support/fake-discord-community.js';
import { bodyOf, callbackFor, editFor, type Harness, messageOf, newUser, replyTo, startHarness } from '../support/harness.js';
import { tempDir } from '../support/helpers.js';
import { answered, result } from '../support/render-fixtures.js';
import { corpusDocument, stubEngine } from '../support/stub-engine.js';

/**
 * /settings end to end: the real discord.js client against the fake Discord, a stub engine that
 * records the options each question is asked with, and a SQLite file that outlives the bot.
 */

const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const documents = [
  corpusDocument('cuba/doc-1', { publisher: 'Radio Habana Cuba' }),
  corpusDocument('world/doc-2', { publisher: 'UrduPoint' }),
];
// Answers every question but those about lunch, which the articles do not cover.
const engine = stubEngine({
  documents,
  answer: (question) =>
    question.includes('lunch') ? { question, answered: false, results: [], nearest: [] } : answered([result(1, { score: 0.9 })], question),
});
const env = { COMMUNITY_DB: path.join(tempDir('settings-e2e-'), 'community.sqlite'), COOLDOWN_SECONDS: '0' };
let fake: FakeCommunityDiscord;
let harness: Harness;
let other: string;

beforeAll(async () => {
  fake = await FakeCommunityDiscord.start();
  harness = await startHarness(engine, {}, env, fake);
  other = fake.addChannel(ChannelType.GuildText, 'off-topic');
});

afterAll(async () => {
  await harness?.close();
});

type Option = { name: string; value: string | number | boolean; type?: ApplicationCommandOptionType };

async function settings(subcommand: string, options: Option[] = [], context: { channelId?: string; permissions?: bigint } = {}) {
  const { token } = fake.slashCommand('settings', options, { subcommand, userId: newUser(), permissions: ADMIN, ...context });
  return messageOf(await callbackFor(fake, token));
}

const channel = (id: string): Option => ({ name: 'channel', value: id, type: ApplicationCommandOptionType.Channel });

/** Asks in a channel; returns the deferral's flags and the options the engine was asked with. */
async function ask(channelId = fake.channelId, options: Option[] = []) {
  const before = engine.asked.length;
  const { token } = fake.slashCommand('ask', [{ name: 'question', value: 'What happened?' }, ...options], { userId: newUser(), channelId });
  const callback = (await callbackFor(fake, token)).body as { type: number; data?: { flags?: number; content?: string } };
  if (callback.type === InteractionResponseType.DeferredChannelMessageWithSource) await editFor(fake, token);
  return { callback, asked: engine.asked[before]?.options };
}

describe('/settings', () => {
  it('is registered for Manage Server only, and refuses members without it at every use', async () => {
    const body = (await loadRegistry()).commandBodies().find((command) => command.name === 'settings')!;
    expect(body.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect((await settings('show', [], { permissions: PermissionFlagsBits.ViewChannel })).content).toBe(ADMIN_ONLY_TEXT);
  });

  it("shows the defaults, then a channel's own values and where each comes from", async () => {
    const shown = await settings('show');
    expect(shown.flags! & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const fields = Object.fromEntries(shown.embeds![0]!.fields!.map((field) => [field.name, field.value]));
    expect(fields).toMatchObject({ 'Private answers': 'yes *(default)*', Results: '3 *(default)*', Retention: '90 days *(default)*' });

    const saved = await settings('channel', [
      { name: 'results', value: 2 },
      { name: 'private', value: false },
      { name: 'publisher', value: 'urdupoint' },
    ]);
    expect(saved.content).toBe(`Saved the channel settings for <#${fake.channelId}>:`);
    const after = Object.fromEntries(saved.embeds![0]!.fields!.map((field) => [field.name, field.value]));
    expect(after).toMatchObject({
      'Private answers': 'no *(this channel)*',
      Results: '2 *(this channel)*',
      Scope: 'publisher urdupoint *(this channel)*',
    });
  });

  it("applies a channel's results, privacy and scope to /ask there", async () => {
    const { callback, asked } = await ask();
    expect(callback.data?.flags ?? 0).toBe(0);
    expect(asked).toEqual({ k: 2, publisher: 'urdupoint' });
    // An explicit choice beats the channel's setting.
    const chosen = await ask(fake.channelId, [
      { name: 'private', value: true },
      { name: 'results', value: 4 },
    ]);
    expect(chosen.callback.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(chosen.asked).toMatchObject({ k: 4 });
    // Other channels keep the defaults.
    expect((await ask(other)).asked).toEqual({ k: 3 });
  });

  it('answers bad values with one clear line and changes nothing', async () => {
    const cases: Array<[Option[], string]> = [
      [[{ name: 'results', value: 9 }], 'Nothing was changed: `results` must be a whole number from 1 to 5.'],
      [[{ name: 'after', value: '2023-02-30' }], 'Nothing was changed: `after` 2023-02-30 does not exist: February 2023 has 28 days.'],
      [
        [{ name: 'folder', value: 'nowhere' }],
        'Nothing was changed: no article is in the folder "nowhere" (see /sources; type none to clear it).',
      ],
      [
        [
          { name: 'after', value: '2024-01-01' },
          { name: 'before', value: '2023-01-01' },
        ],
        'Nothing was changed: `after` must not be later than `before`.',
      ],
      [[], 'Nothing was changed: give at least one setting to change (or use /settings show).'],
    ];
    for (const [options, text] of cases) expect((await settings('channel', options)).content, JSON.stringify(options)).toBe(text);
    expect((await settings('server', [{ name: 'retention_days', value: 0 }])).content).toBe(
      'Nothing was changed: `retention_days` must be a whole number from 1 to 3650.',
    );
    expect((await settings('server', [{ name: 'auto_answer_confidence', value: 100 }])).content).toBe(
      'Nothing was changed: `auto_answer_confidence` must be a whole number from 1 to 99.',
    );
    const retention = await settings('server', [{ name: 'retention_days', value: 30 }]);
    expect(retention.embeds![0]!.fields!.find((field) => field.name === 'Retention')?.value).toBe('30 days *(server)*');
    expect((await ask()).asked).toEqual({ k: 2, publisher: 'urdupoint' });
  });

  it('clears a scope value with "none" and sets a folder', async () => {
    await settings('channel', [
      { name: 'publisher', value: 'none' },
      { name: 'folder', value: 'cuba' },
    ]);
    expect((await ask()).asked).toEqual({ k: 2, folder: 'cuba' });
  });

  it('answers only in listed channels with an allow list: /ask elsewhere is told why, a mention there gets no reply', async () => {
    await settings('server', [{ name: 'answer_in', value: 'allow' }]);
    await settings('channel', [{ name: 'listed', value: true }]);
    const refused = await ask(other);
    expect(refused.callback).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral, content: NOT_HERE_TEXT },
    });
    expect(refused.asked).toBeUndefined();

    const ignored = fake.userMessage({ content: 'what happened?', channelId: other, mentionsBot: true, authorId: newUser() });
    const answeredHere = fake.userMessage({ content: 'what happened?', mentionsBot: true, authorId: newUser() });
    await replyTo(fake, answeredHere);
    expect(fake.calls.some((call) => call.method === 'POST' && call.path === `/channels/${other}/messages`)).toBe(false);
    expect(ignored.channel_id).toBe(other);

    await settings('server', [{ name: 'answer_in', value: 'deny' }]);
    expect((await ask()).callback.data?.content).toBe(NOT_HERE_TEXT);
    expect((await ask(other)).asked).toEqual({ k: 3 });
    await settings('server', [{ name: 'answer_in', value: 'all' }]);
  });

  it('answers every plain message in a channel where no mention is needed, "not covered" included', async () => {
    await settings('channel', [channel(other), { name: 'mention_needed', value: false }]);
    const message = fake.userMessage({ content: 'Is anyone around for lunch?', channelId: other, authorId: newUser() });
    const reply = bodyOf(await replyTo(fake, message));
    expect(reply.embeds![0]!.title).toBe('Not covered by the articles');
    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
    // Where a mention is needed (the default), the same message is not answered.
    const elsewhere = fake.userMessage({ content: 'Is anyone around for lunch?', authorId: newUser() });
    await replyTo(fake, fake.userMessage({ content: 'what happened?', mentionsBot: true, authorId: newUser() }));
    expect(fake.calls.some((call) => bodyOf(call).message_reference?.message_id === elsewhere.id)).toBe(false);
  });

  it("refuses a channel the bot cannot see, and forgets a deleted channel's settings", async () => {
    const hidden = fake.addChannel(ChannelType.GuildText, 'staff');
    fake.revokeAccess(hidden);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await settings('channel', [channel(hidden), { name: 'auto_answer', value: true }])).content).toBe(
      `I cannot see or post in <#${hidden}>: give me View Channel and Send Messages there first.`,
    );
    fake.deleteChannel(other);
    await expect
      .poll(() => harness.logs.some((line) => line.event === 'channel-forgotten' && line.channelId === other), { timeout: 5_000 })
      .toBe(true);
  });

  it('keeps its settings across a restart of the bot', async () => {
    await settings('channel', [{ name: 'results', value: 5 }]);
    await harness.bot.stop();
    harness = await startHarness(engine, {}, env, fake);
    expect((await ask()).asked).toEqual({ k: 5, folder: 'cuba' });
  });
});
