import {
  type APIMessage,
  ApplicationCommandOptionType,
  ChannelType,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/backend/types.js';
import { AUTO_ANSWER_MIN_SCORE, forumQuestion } from '../../src/bot/messages/auto-answer.js';
import { limitViolations } from '../support/discord-limits.js';
import { withoutBold } from '../support/discord-markdown.js';
import { FakeCommunityDiscord } from '../support/fake-discord-community.js';
import {
  bodyOf,
  buttonIds,
  callbackFor,
  editFor,
  type Harness,
  messageOf,
  messageWrites,
  newUser,
  openRealEngine,
  replyTo,
  startHarness,
} from '../support/harness.js';

/**
 * Private answers and sharing, per-quote feedback, /report, /corpus hide and auto-answer (text
 * channels, forum posts, replies), end to end: the real discord.js client against the fake Discord,
 * the real engine over the seed articles, the settings and questions in SQLite.
 */

const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const WHEAT = 'How much wheat did Russia donate to Cuba?';
const WHEAT_DOC = '002_fd5b7e87bdf5c1a2';
const OFF_TOPIC = 'What is the capital of Australia?';
let engine: Engine;
let fake: FakeCommunityDiscord;
let harness: Harness;

beforeAll(async () => {
  engine = await openRealEngine();
  fake = await FakeCommunityDiscord.start();
  harness = await startHarness(engine, {}, { COOLDOWN_SECONDS: '0' }, fake);
});

afterAll(async () => {
  // Every message the bot wrote stays within Discord's limits and pings nobody.
  for (const call of messageWrites(fake)) {
    const body = messageOf(call);
    expect(limitViolations({ content: body.content ?? '', embeds: body.embeds ?? [], components: [] } as never)).toEqual([]);
    if (body.allowed_mentions) expect(body.allowed_mentions.parse).toEqual([]);
  }
  expect(fake.unhandled).toEqual([]);
  await harness?.close();
  engine?.close();
});

async function admin(
  command: string,
  subcommand: string | undefined,
  options: Array<{ name: string; value: string | number | boolean; type?: ApplicationCommandOptionType }>,
) {
  const { token } = fake.slashCommand(command, options, { subcommand, userId: newUser(), permissions: ADMIN });
  const callback = await callbackFor(fake, token);
  const body =
    (callback.body as { type: number }).type === InteractionResponseType.DeferredChannelMessageWithSource
      ? bodyOf(await editFor(fake, token))
      : messageOf(callback);
  return { ...body, private: (fake.originalMessage(token).flags! & MessageFlags.Ephemeral) !== 0 };
}

async function askPrivately(question: string): Promise<{ token: string; message: APIMessage }> {
  const { token } = fake.slashCommand('ask', [{ name: 'question', value: question }], { userId: newUser() });
  await editFor(fake, token);
  return { token, message: fake.originalMessage(token) };
}

const botRepliesTo = (message: APIMessage) =>
  fake.calls.filter((call) => call.method === 'POST' && bodyOf(call).message_reference?.message_id === message.id);

describe('private answers with Share to channel, and per-quote feedback', () => {
  let shared: APIMessage;

  it('posts the same quotes publicly, "Shared by" the user, without pinging', async () => {
    const { message } = await askPrivately(WHEAT);
    expect(message.flags! & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const share = buttonIds(message as never).find((id) => id.startsWith('share:'))!;
    const sharer = newUser();
    const click = fake.clickButton(share, { message, userId: sharer });
    const callback = await callbackFor(fake, click.token);
    expect(callback.body).toMatchObject({ type: InteractionResponseType.ChannelMessageWithSource });
    const data = messageOf(callback);
    expect((data.flags ?? 0) & MessageFlags.Ephemeral).toBe(0);
    expect(data.content).toBe(`**Question:** ${WHEAT}\n*Shared by <@${sharer}>*`);
    expect(data.embeds!.map((embed) => embed.description)).toEqual(message.embeds.map((embed) => embed.description));
    expect(data.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(buttonIds(data).some((id) => id.startsWith('share:'))).toBe(false);
    shared = fake.originalMessage(click.token);
  });

  it('stores a "wrong source" click with the quote\'s document and offsets, once per user', async () => {
    const wrong = buttonIds(shared as never).find((id) => id.endsWith(':0:w'))!;
    const user = newUser();
    for (let i = 0; i < 2; i++) {
      const click = fake.clickButton(wrong, { message: shared, userId: user });
      expect(messageOf(await callbackFor(fake, click.token)).content).toBe(
        'Thanks — noted that quote 1 is from the wrong source; admins see it in /report.',
      );
    }
    await callbackFor(fake, fake.clickButton(wrong, { message: shared, userId: newUser() }).token);
    const report = await admin('report', undefined, []);
    expect(report.embeds![1]!.description).toMatch(new RegExp(`^1\\. “[\\s\\S]+” \`${WHEAT_DOC}\` — 2×$`));
    expect(report.embeds![2]!.description).toContain(`\`${WHEAT_DOC}\` — 2×`);
  });
});

describe('/report', () => {
  it('counts questions and the share answered, and groups near-duplicate unanswered ones with links', async () => {
    const before = await admin('report', undefined, [{ name: 'days', value: 1 }]);
    const asked = Number(/^\*\*(\d+)\*\* questions? asked/.exec(before.content!)![1]);
    await askPrivately(OFF_TOPIC);
    const mention = fake.userMessage({ content: 'what is the capital of australia', mentionsBot: true, authorId: newUser() });
    await replyTo(fake, mention);
    const report = await admin('report', undefined, [{ name: 'days', value: 1 }]);
    expect(report.content).toMatch(
      new RegExp(`^\\*\\*${asked + 2}\\*\\* questions asked in the last 1 day, \\*\\*\\d+%\\*\\* answered\\.$`),
    );
    const firstGroup = report.embeds![0]!.description!.split('\n')[0]!;
    expect(firstGroup).toContain('— 2×');
    expect(firstGroup).toContain(`(https://discord.com/channels/${fake.guildId}/${fake.channelId}/${mention.id})`);
    expect(report.private).toBe(true);
  });
});

describe('/corpus hide', () => {
  it('keeps an article, then a publisher, out of answers without deleting files, and unhide brings them back', async () => {
    const quoted = async () => (await askPrivately(WHEAT)).message.embeds.map((embed) => embed.footer?.text ?? '');
    expect((await quoted()).some((footer) => footer.includes(WHEAT_DOC))).toBe(true);
    const hidden = await admin('corpus', 'hide', [{ name: 'document', value: WHEAT_DOC }]);
    expect(hidden.content).toContain(`Hidden: \`${WHEAT_DOC}\` stays out of answers in this server`);
    expect((await quoted()).some((footer) => footer.includes(WHEAT_DOC))).toBe(false);
    expect(engine.getDocument(WHEAT_DOC)).toBeDefined();

    await admin('corpus', 'hide', [{ name: 'publisher', value: 'radio habana cuba' }]);
    expect((await quoted()).some((footer) => footer.includes('Radio Habana Cuba'))).toBe(false);
    expect((await admin('corpus', 'hide', [{ name: 'publisher', value: 'Nobody' }])).content).toBe(
      'Nothing was changed: no article has the publisher "Nobody"; pick one from the list.',
    );

    await admin('corpus', 'unhide', [{ name: 'document', value: WHEAT_DOC }]);
    await admin('corpus', 'unhide', [{ name: 'publisher', value: 'Radio Habana Cuba' }]);
    expect((await quoted()).some((footer) => footer.includes(WHEAT_DOC))).toBe(true);
  });
});

describe('auto-answer', () => {
  let channelId: string;
  let answer: APIMessage;

  beforeAll(async () => {
    channelId = fake.addChannel(ChannelType.GuildText, 'help');
    await admin('settings', 'channel', [
      { name: 'channel', value: channelId, type: ApplicationCommandOptionType.Channel },
      { name: 'auto_answer', value: true },
    ]);
  });

  it('answers a question nobody addressed to it when confident, as a reply', async () => {
    const question = fake.userMessage({ content: WHEAT, channelId, authorId: newUser() });
    const reply = await replyTo(fake, question);
    // The answer in bold inside the quote (the answer marker).
    expect(bodyOf(reply).embeds![0]!.description).toContain('**25,000 tonnes** of wheat');
    expect((await engine.ask(WHEAT, { k: 3 })).results[0]!.score).toBeGreaterThanOrEqual(AUTO_ANSWER_MIN_SCORE);
    answer = reply.response as APIMessage;
  });

  it('stays silent when not confident, and never answers other bots or itself', async () => {
    const offTopic = fake.userMessage({ content: OFF_TOPIC, channelId, authorId: newUser() });
    await expect
      .poll(() => harness.logs.some((line) => line.event === 'auto-answer-silent' && line.channelId === channelId), { timeout: 30_000 })
      .toBe(true);
    const fromBot = fake.otherBotMessage(WHEAT, channelId);
    // A later question is answered, so the earlier messages were handled (in order) and not answered.
    await replyTo(
      fake,
      fake.userMessage({ content: 'Who is the spokeswoman of the Russian Foreign Ministry?', channelId, authorId: newUser() }),
    );
    expect(botRepliesTo(offTopic)).toEqual([]);
    expect(botRepliesTo(fromBot)).toEqual([]);
    expect(fake.calls.filter((call) => call.method === 'POST' && bodyOf(call).message_reference?.message_id === answer.id)).toEqual([]);
  });

  it("asks a channel's own confidence of the first quote: just above its score is silence, at it an answer", async () => {
    // A seed question whose first quote the reader is unsure of (a score near 0.55), so both settings fit in 1-99.
    const question = 'Where will the next session of the intergovernmental commission be held?';
    const confidentHere = fake.addChannel(ChannelType.GuildText, 'picky');
    const percent = Math.floor((await engine.ask(question, { k: 3 })).results[0]!.score * 100);
    expect(percent).toBeLessThan(99);
    const set = (value: number) =>
      admin('settings', 'channel', [
        { name: 'channel', value: confidentHere, type: ApplicationCommandOptionType.Channel },
        { name: 'auto_answer', value: true },
        { name: 'auto_answer_confidence', value },
      ]);
    const saved = await set(percent + 1);
    expect(saved.embeds![0]!.fields!.find((field) => field.name === 'Auto-answer')?.value).toBe(
      `yes *(this channel)*; when ${percent + 1}% sure *(this channel)*`,
    );
    const unsure = fake.userMessage({ content: question, channelId: confidentHere, authorId: newUser() });
    await expect
      .poll(() => harness.logs.some((line) => line.event === 'auto-answer-silent' && line.channelId === confidentHere), { timeout: 30_000 })
      .toBe(true);
    expect(botRepliesTo(unsure)).toEqual([]);
    await set(percent);
    const sure = fake.userMessage({ content: question, channelId: confidentHere, authorId: newUser() });
    expect(bodyOf(await replyTo(fake, sure)).embeds![0]!.description).toContain('Yuri Borisov');
  });

  it('follows up without a mention when a user replies to its answer, reading the reply with the question', async () => {
    const followUp = fake.userMessage({ content: 'and what about the grain?', channelId, authorId: newUser(), referencedMessage: answer });
    const reply = bodyOf(await replyTo(fake, followUp));
    expect(reply.content).toBe(`*Read as a follow-up to:* ${WHEAT}`);
    expect(harness.asked).toContain(`${WHEAT} and what about the grain?`);
  });

  it('answers a new forum post once, from its title and first message, inside the post, and later questions there', async () => {
    const forum = fake.addChannel(ChannelType.GuildForum, 'questions');
    await admin('settings', 'channel', [
      { name: 'channel', value: forum, type: ApplicationCommandOptionType.Channel },
      { name: 'auto_answer', value: true },
    ]);
    const { threadId, message } = fake.forumPost(forum, { title: 'Wheat for Cuba', content: WHEAT, authorId: newUser() });
    const reply = await replyTo(fake, message);
    expect(reply.path).toBe(`/channels/${threadId}/messages`);
    expect(harness.asked).toContain(forumQuestion('Wheat for Cuba', WHEAT));
    expect(withoutBold(bodyOf(reply).embeds![0]!.description!)).toContain('25,000 tonnes of wheat');
    // Delivered again (a resumed session), it is not answered again; a later question in the post is, without a mention.
    fake.redeliver(message);
    await replyTo(
      fake,
      fake.userMessage({ content: 'Who is the spokeswoman of the Russian Foreign Ministry?', channelId: threadId, authorId: newUser() }),
    );
    expect(botRepliesTo(message)).toHaveLength(1);
  });
});
