import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayIntentBits, InteractionResponseType, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/backend/types.js';
import { startBot } from '../../src/bot/bot.js';
import { BUSY_TEXT, RESTARTING_TEXT } from '../../src/bot/sending/failures.js';
import type { QuoteEngine } from '../../src/core/types.js';
import { withoutBold } from '../support/discord-markdown.js';
import { FakeDiscord } from '../support/fake-discord.js';
import {
  bodyOf,
  buttonIds,
  callbackFor,
  capturingLogger,
  editFor,
  type Harness,
  messageOf,
  newUser,
  openRealEngine,
  replyTo,
  type SentBody,
  startHarness,
  testConfig,
} from '../support/harness.js';
import { copyOfSeeds } from '../support/helpers.js';
import { IntentGate } from '../support/intent-gate.js';

/**
 * The bot's life around the commands: buttons expiring, a corpus long enough to page, a busy
 * queue, a graceful stop, and logging in when Discord refuses the Message Content intent. The real
 * engine answers, over the seeds plus seven copies (twelve articles).
 */

let engine: Engine;

beforeAll(async () => {
  const corpus = copyOfSeeds();
  const seeds = readdirSync(corpus).filter((file) => file.endsWith('.txt'));
  for (let i = 0; i < 7; i++)
    copyFileSync(path.join(corpus, seeds[i % seeds.length]!), path.join(corpus, `1${String(i).padStart(2, '0')}_copy.txt`));
  engine = await openRealEngine(corpus);
});

afterAll(() => engine?.close());

/** The engine, made slow enough that questions pile up behind each other. */
function slowed(inner: QuoteEngine, ms: number): QuoteEngine {
  return {
    ask: async (question, options) => {
      await sleep(ms);
      return inner.ask(question, options);
    },
    documents: () => inner.documents(),
    getDocument: (id) => inner.getDocument(id),
    refresh: () => inner.refresh(),
  };
}

describe('buttons and paging', () => {
  let harness: Harness;
  const lifetimeMs = 1_500;

  beforeAll(async () => {
    harness = await startHarness(engine, { buttonLifetimeMs: lifetimeMs });
  });
  afterAll(() => harness?.close());

  it('/sources pages through the corpus with buttons', async () => {
    const { token } = harness.fake.slashCommand('sources', [], { userId: newUser() });
    const first = bodyOf(await editFor(harness.fake, token));
    expect(first.embeds![0]!.title).toBe('Articles I can quote (12)');
    expect(first.embeds![0]!.description!.split('\n')).toHaveLength(10);
    const next = buttonIds(first).find((id) => id.endsWith(':next'))!;

    const click = harness.fake.clickButton(next, { message: harness.fake.originalMessage(token) });
    const page = messageOf(await callbackFor(harness.fake, click.token));
    expect(page.embeds![0]!.description!.split('\n')).toHaveLength(2);
    expect(page.embeds![0]!.description).toMatch(/^\*\*11\.\*\*/);
    expect(page.embeds![0]!.footer!.text).toMatch(/^Page 2\/2/);
  });

  it('removes search and feedback buttons once they expire', async () => {
    const search = harness.fake.slashCommand('search', [{ name: 'query', value: 'Russia Cuba cooperation' }], { userId: newUser() });
    const ask = harness.fake.slashCommand('ask', [{ name: 'question', value: 'How much wheat did Russia donate to Cuba?' }], {
      userId: newUser(),
    });
    for (const { token } of [search, ask]) {
      const answer = bodyOf(await editFor(harness.fake, token));
      expect(buttonIds(answer).length).toBeGreaterThan(0);
    }
    const startedAt = Date.now();
    const removals = await Promise.all(
      [search, ask].map(({ token }) =>
        harness.fake.waitForCall(
          (call) => call.method === 'PATCH' && call.path.includes(token) && (bodyOf(call).components ?? [null]).length === 0,
          5_000,
        ),
      ),
    );
    expect(Date.now() - startedAt).toBeLessThan(lifetimeMs + 2_000);
    for (const removal of removals) expect(bodyOf(removal).allowed_mentions).toMatchObject({ parse: [] });
    expect(harness.fake.originalMessage(search.token).components).toEqual([]);
    expect(harness.fake.originalMessage(ask.token).components).toEqual([]);
    expect(harness.fake.unhandled).toEqual([]);
  });
});

describe('a busy engine and stopping', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(slowed(engine, 400), { queueCapacity: 1 });
  });
  afterAll(() => harness?.close());

  it('answers the question it has room for and tells the others, privately, to retry', async () => {
    const tokens = [
      'How much wheat did Russia donate to Cuba?',
      "Who is Russia's ambassador to Cuba?",
      'When did Vladimir Putin visit Havana?',
    ].map((question) => harness.fake.slashCommand('ask', [{ name: 'question', value: question }], { userId: newUser() }).token);
    const edits = await Promise.all(tokens.map((token) => editFor(harness.fake, token)));
    const busy = edits.filter((edit) => bodyOf(edit).content === BUSY_TEXT);
    const answered = edits.filter((edit) => (bodyOf(edit).embeds ?? []).length > 0);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    expect(busy.length + answered.length).toBe(3);
    for (const token of tokens) expect(harness.fake.originalMessage(token).flags! & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(harness.logs.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('withdraws a public "thinking…" placeholder and says it is busy privately', async () => {
    await sleep(500); // let the previous test's queue drain
    const ask = harness.fake.slashCommand('ask', [{ name: 'question', value: 'How much wheat did Russia donate to Cuba?' }], {
      userId: newUser(),
    });
    await callbackFor(harness.fake, ask.token);
    await sleep(50);
    const search = harness.fake.slashCommand('search', [{ name: 'query', value: 'wheat' }], { userId: newUser() });
    const followUp = await harness.fake.waitForCall(
      (call) => call.method === 'POST' && call.path === `/webhooks/${harness.fake.applicationId}/${search.token}`,
    );
    expect(bodyOf(followUp)).toMatchObject({ content: BUSY_TEXT, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } });
    expect(harness.fake.callsFor(search.token).map((call) => call.method)).toEqual(['POST', 'DELETE', 'POST']);
    await editFor(harness.fake, ask.token);
  });

  it('stop() lets an in-flight answer finish before disconnecting', async () => {
    await sleep(500); // let the previous test's queue drain
    const { token } = harness.fake.slashCommand('ask', [{ name: 'question', value: 'How much wheat did Russia donate to Cuba?' }], {
      userId: newUser(),
    });
    await callbackFor(harness.fake, token);
    await harness.bot.stop();
    const edit = harness.fake.calls.find((call) => call.method === 'PATCH' && call.path.includes(token));
    expect((bodyOf(edit!) as SentBody).embeds!.length).toBeGreaterThan(0);
    expect(harness.bot.client.isReady()).toBe(false);
  });
});

describe('stopping with questions waiting', () => {
  it('answers what it can within the grace, tells the questions still waiting to ask again, and logs out', async () => {
    const harness = await startHarness(slowed(engine, 300), { shutdownGraceMs: 700 }, { COOLDOWN_SECONDS: '0' });
    try {
      const tokens = Array.from(
        { length: 8 },
        () =>
          harness.fake.slashCommand('ask', [{ name: 'question', value: 'How much wheat did Russia donate to Cuba?' }], {
            userId: newUser(),
          }).token,
      );
      await Promise.all(tokens.map((token) => callbackFor(harness.fake, token)));
      await harness.bot.stop();
      const finals = tokens.map((token) =>
        bodyOf(harness.fake.calls.find((call) => call.method === 'PATCH' && call.path.includes(token))!),
      );
      const answered = finals.filter((body) => (body.embeds ?? []).length > 0).length;
      const told = finals.filter((body) => body.content === RESTARTING_TEXT).length;
      expect(answered).toBeGreaterThanOrEqual(1);
      expect(told).toBeGreaterThanOrEqual(1);
      expect(answered + told).toBe(tokens.length); // none left without a reply
      expect(harness.bot.client.isReady()).toBe(false);
      expect(harness.fake.closeCodes).toContain(1000); // a clean logout, not a dropped connection
      expect(harness.logs.filter((line) => line.level >= 50)).toEqual([]);
    } finally {
      await harness.fake.close();
    }
  });
});

describe('when Discord refuses the Message Content intent', () => {
  let fake: FakeDiscord;
  let gate: IntentGate;
  let stop: () => Promise<void>;
  const { logger, lines } = capturingLogger();

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    gate = await IntentGate.start(fake);
    ({ stop } = await startBot(testConfig(gate.apiUrl), engine, { logger }));
    await fake.waitForReady();
  });
  afterAll(async () => {
    await stop?.();
    await gate?.close();
    await fake?.close();
  });

  it('warns once and logs in again without it', () => {
    expect(gate.refusals).toBe(1);
    expect(fake.identify?.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages);
    const warnings = lines.filter((line) => line.event === 'message-content-intent-missing');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(/Privileged Gateway Intents/);
  });

  it('still answers slash commands and mentions', async () => {
    const { token } = fake.slashCommand('help', [], { userId: newUser() });
    expect((await callbackFor(fake, token)).body).toMatchObject({ type: InteractionResponseType.ChannelMessageWithSource });

    const message = fake.userMessage({ content: 'How much wheat did Russia donate to Cuba?', mentionsBot: true, authorId: newUser() });
    const reply = bodyOf(await replyTo(fake, message));
    expect(reply.embeds!.some((embed) => withoutBold(embed.description!).includes('25,000 tonnes of wheat'))).toBe(true);
    expect(fake.unhandled).toEqual([]);
  });
});
