import { type APIMessage, ChannelType, InteractionResponseType, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/backend/types.js';
import { MENTION_USAGE } from '../../src/bot/messages/mentions.js';
import { escapeSourceText } from '../../src/bot/render/markdown.js';
import { attribution } from '../../src/bot/render/parts.js';
import type { AnswerResult } from '../../src/core/types.js';
import { limitViolations } from '../support/discord-limits.js';
import { withoutBold } from '../support/discord-markdown.js';
import { snowflake } from '../support/fake-discord.js';
import {
  asDisplayed,
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
  type SentBody,
  startHarness,
  unquote,
} from '../support/harness.js';

/**
 * The real discord.js client (through startBot) against the fake Discord, answering with the real
 * engine over the seed articles. Every message the bot sends is checked at the end for limits,
 * `allowed_mentions: { parse: [] }` and unhandled routes.
 */

let engine: Engine;
let harness: Harness;

beforeAll(async () => {
  engine = await openRealEngine();
  harness = await startHarness(engine);
});

afterAll(async () => {
  await harness?.close();
  engine?.close();
});

/** The embeds of an answer must show exactly these results: verbatim quotes with the answer in bold, linked titles, attribution. */
function expectQuotes(body: SentBody, results: AnswerResult[]): void {
  expect(body.embeds).toHaveLength(results.length);
  results.forEach((result, i) => {
    const embed = body.embeds![i]!;
    const shown = unquote(embed.description!);
    // The marked answer in bold, and nothing else: without the bold markers, the escaped quote.
    if (result.answer) {
      const marked = result.quote!.slice(result.answer.start - result.start!, result.answer.end - result.start!);
      expect(shown).toContain(`**${escapeSourceText(marked.trim())}**`);
    }
    expect(withoutBold(shown)).toBe(asDisplayed(escapeSourceText(result.quote!)));
    expect(embed.title).toBe(`${result.rank}. ${escapeSourceText(result.title)}`);
    expect(embed.footer?.text).toBe(attribution(result.publisher, result.date, result.docId, result.author));
    if (result.link) expect(embed.url).toBe(result.link); // the URL with a fragment at the quoted words
  });
}

function expectPublicDeferral(token: string): void {
  const callback = harness.fake.callsFor(token)[0]!.body as { type: number; data?: { flags?: number } };
  expect(callback.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
  expect((callback.data?.flags ?? 0) & MessageFlags.Ephemeral).toBe(0);
}

function feedbackButtons(body: SentBody): string[] {
  return buttonIds(body).filter((id) => id.startsWith('feedback:'));
}

describe('/ask', () => {
  const question = 'How much wheat did Russia donate to Cuba?';

  it('defers privately, then answers with verbatim quotes, attribution, per-quote feedback and Share buttons', async () => {
    const expected = await engine.ask(question, { k: 3 });
    const { token } = harness.fake.slashCommand('ask', [{ name: 'question', value: question }], { userId: newUser() });
    const edit = await editFor(harness.fake, token);
    const [callback] = harness.fake.callsFor(token);
    expect(callback!.body).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });

    const body = bodyOf(edit);
    expect(body.content).toBe(`**Question:** ${question}`);
    expectQuotes(body, expected.results);
    expect(body.embeds![0]!.description).toContain('**25,000 tonnes** of wheat');
    expect(feedbackButtons(body)).toHaveLength(2 * expected.results.length);
    expect(buttonIds(body).filter((id) => id.startsWith('share:'))).toHaveLength(1);
    expect(harness.fake.originalMessage(token).flags! & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });

  it('answers publicly with private:false and honours results', async () => {
    const expected = await engine.ask(question, { k: 1 });
    const { token } = harness.fake.slashCommand(
      'ask',
      [
        { name: 'question', value: question },
        { name: 'results', value: 1 },
        { name: 'private', value: false },
      ],
      { userId: newUser() },
    );
    const edit = await editFor(harness.fake, token);
    expectPublicDeferral(token);
    expectQuotes(bodyOf(edit), expected.results);
    expect(buttonIds(bodyOf(edit)).filter((id) => id.startsWith('share:'))).toEqual([]);
    expect(harness.fake.originalMessage(token).flags! & MessageFlags.Ephemeral).toBe(0);
  });

  it('says "not covered" and names the closest articles for an off-topic question', async () => {
    const offTopic = 'What is the capital of Australia?';
    const expected = await engine.ask(offTopic, { k: 3 });
    expect(expected.answered).toBe(false);
    const { token } = harness.fake.slashCommand('ask', [{ name: 'question', value: offTopic }], { userId: newUser() });
    const body = bodyOf(await editFor(harness.fake, token));
    expect(body.embeds).toHaveLength(1);
    expect(body.embeds![0]!.title).toBe('Not covered by the articles');
    for (const near of expected.nearest) expect(body.embeds![0]!.description).toContain(`\`${near.id}\``);
    expect(body.embeds![0]!.description).toContain(escapeSourceText(engine.getDocument(expected.nearest[0]!.id)!.title));
    expect(feedbackButtons(body)).toEqual([]);
  });

  it('applies the per-user cooldown with a private, friendly message', async () => {
    const user = newUser();
    const first = harness.fake.slashCommand('ask', [{ name: 'question', value: question }], { userId: user });
    await editFor(harness.fake, first.token);
    const second = harness.fake.slashCommand('ask', [{ name: 'question', value: question }], { userId: user });
    const callback = await callbackFor(harness.fake, second.token);
    expect(callback.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral, content: expect.stringMatching(/^One moment — you can ask again in \d+ seconds?\.$/) },
    });
  });

  it('queues many simultaneous questions on the one engine and answers them all', async () => {
    const questions = [
      "Who is Russia's ambassador to Cuba?",
      'How many planes with medical equipment has Moscow sent to the island?',
      'Who is the spokeswoman of the Russian Foreign Ministry?',
      'When did Vladimir Putin visit Havana?',
      'Until what year did the Russian Senate postpone the disbursement of loans to Cuba?',
      'Which companies did the Cuban deputy prime minister meet?',
    ];
    const tokens = questions.map((q) => harness.fake.slashCommand('ask', [{ name: 'question', value: q }], { userId: newUser() }).token);
    const edits = await Promise.all(tokens.map((token) => editFor(harness.fake, token)));
    for (const [i, edit] of edits.entries()) {
      const expected = await engine.ask(questions[i]!, { k: 3 });
      expectQuotes(bodyOf(edit), expected.results);
    }
  });
});

describe('/ask thread:true and mentions in threads', () => {
  const question = 'Which Russian official arrived in Cuba after a stop in Venezuela?';
  let threadId: string;

  it('starts a thread named after the question and answers inside it', async () => {
    const expected = await engine.ask(question, { k: 3 });
    const { token } = harness.fake.slashCommand(
      'ask',
      [
        { name: 'question', value: question },
        { name: 'thread', value: true },
      ],
      { userId: newUser() },
    );
    const edit = await editFor(harness.fake, token);
    const created = harness.fake.calls.find(
      (call) => call.method === 'POST' && call.path === `/channels/${harness.fake.channelId}/threads`,
    )!;
    expect(created.body).toMatchObject({ name: question, type: ChannelType.PublicThread });
    threadId = (created.response as { id: string }).id;
    const inThread = harness.fake.calls.find((call) => call.method === 'POST' && call.path === `/channels/${threadId}/messages`)!;
    expectQuotes(bodyOf(inThread), expected.results);
    expect(bodyOf(inThread).embeds![0]!.description).toContain('Borisov');
    expect(bodyOf(edit).content).toBe(`Answered in <#${threadId}>.`);
  });

  it('reads a short follow-up in a bot thread together with the question the thread is named after', async () => {
    // Alone, "grain" is not a word of the articles (a follow-up with one, like "wheat", is answered on its own).
    const followUp = 'and what about the grain?';
    expect((await engine.ask(followUp, { k: 3 })).answered).toBe(false);
    const combined = `${question} ${followUp}`;
    const expected = await engine.ask(combined, { k: 3 });

    const message = harness.fake.userMessage({ content: followUp, channelId: threadId, mentionsBot: true, authorId: newUser() });
    const reply = bodyOf(await replyTo(harness.fake, message));
    expect(harness.asked).toContain(combined);
    expect(reply.content).toBe(`*Read as a follow-up to:* ${question}`);
    expectQuotes(reply, expected.results);
    expect(reply.embeds!.some((embed) => embed.description!.includes('wheat'))).toBe(true);
    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('reads a follow-up against the earlier question fetched from the thread via REST', async () => {
    const earlier = 'What did Russia give Cuba as a gesture of goodwill?';
    const author = newUser();
    const first = harness.fake.userMessage({ content: earlier, channelId: threadId, mentionsBot: true, authorId: author });
    await replyTo(harness.fake, first);

    const historyReads = () =>
      harness.fake.calls.filter((call) => call.method === 'GET' && call.path === `/channels/${threadId}/messages`).length;
    const readsBefore = historyReads();
    const followUp = harness.fake.userMessage({ content: 'and how much?', channelId: threadId, mentionsBot: true, authorId: newUser() });
    const reply = bodyOf(await replyTo(harness.fake, followUp));
    expect(historyReads()).toBe(readsBefore + 1);
    const combined = `${earlier} and how much?`;
    expect(harness.asked).toContain(combined);
    expectQuotes(reply, (await engine.ask(combined, { k: 3 })).results);
    expect(reply.embeds!.some((embed) => embed.description!.includes('25,000 tonnes of wheat'))).toBe(true);
  });
});

describe('mentions in a channel', () => {
  it('answers a mention as a reply to that message, without pinging', async () => {
    const question = "Who is Russia's ambassador to Cuba?";
    const expected = await engine.ask(question, { k: 3 });
    const message = harness.fake.userMessage({ content: question, mentionsBot: true, authorId: newUser() });
    const reply = bodyOf(await replyTo(harness.fake, message));
    expectQuotes(reply, expected.results);
    expect(reply.embeds![0]!.description).toContain('Andrei Guskov');
    expect(reply.content).toBe('');
    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(harness.asked).toContain(question);
  });

  it('explains a question the core rejects (over 2,000 characters) instead of a generic failure', async () => {
    const message = harness.fake.userMessage({
      content: `What happened ${'and then '.repeat(250)}?`,
      mentionsBot: true,
      authorId: newUser(),
    });
    const reply = bodyOf(await replyTo(harness.fake, message));
    expect(reply.content).toMatch(/^Sorry, I cannot answer that: the question is \d+ characters long; the limit is 2000\.$/);
    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('gives a usage hint for a bare mention and ignores messages that do not mention the bot', async () => {
    const silent = harness.fake.userMessage({ content: 'Who is Russia’s ambassador to Cuba?', authorId: newUser() });
    const bare = harness.fake.userMessage({ content: '', mentionsBot: true, authorId: newUser() });
    expect(bodyOf(await replyTo(harness.fake, bare)).content).toBe(MENTION_USAGE);
    expect(harness.fake.calls.some((call) => bodyOf(call).message_reference?.message_id === silent.id)).toBe(false);
  });
});

describe('/search', () => {
  const query = 'Russia Cuba cooperation';
  let expected: AnswerResult[];
  let owner: string;
  let searchToken: string;
  let message: APIMessage;

  it('lists ten passages (several per article) publicly, with paging buttons', async () => {
    expected = (await engine.ask(query, { k: 30, allowSameDocument: true })).results;
    expect(expected.length).toBeGreaterThan(10);
    owner = newUser();
    const { token } = harness.fake.slashCommand('search', [{ name: 'query', value: query }], { userId: owner });
    const body = bodyOf(await editFor(harness.fake, token));
    expectPublicDeferral(token);
    const description = body.embeds![0]!.description!;
    expect(description.match(/^\*\*\d+\.\*\*/gm)).toHaveLength(10);
    expect(description).toContain(escapeSourceText(expected[0]!.quote!.slice(0, 60)));
    expect(body.embeds![0]!.footer!.text).toBe(`Page 1/${Math.ceil(expected.length / 10)} · ${expected.length} passages`);
    expect(body.components![0]!.components.map((button) => [button.label, button.disabled])).toEqual([
      ['Previous', true],
      [`1 / ${Math.ceil(expected.length / 10)}`, true],
      ['Next', false],
    ]);
    searchToken = token;
    message = harness.fake.originalMessage(token);
  });

  it('pages forward for the person who searched', async () => {
    const next = body(message).components![0]!.components[2]!.custom_id!;
    const click = harness.fake.clickButton(next, { message, userId: owner });
    const callback = await callbackFor(harness.fake, click.token);
    expect(callback.body).toMatchObject({ type: InteractionResponseType.UpdateMessage });
    const page = messageOf(callback);
    expect(page.embeds![0]!.description).toMatch(/^\*\*11\.\*\*/);
    expect(page.embeds![0]!.footer!.text).toMatch(new RegExp(`^Page 2/${Math.ceil(expected.length / 10)} `));
    message = harness.fake.originalMessage(click.token);
  });

  it('tells anyone else, privately, that only the searcher can page', async () => {
    const previous = body(message).components![0]!.components[0]!.custom_id!;
    const click = harness.fake.clickButton(previous, { message, userId: newUser() });
    const callback = await callbackFor(harness.fake, click.token);
    expect(callback.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral, content: expect.stringContaining('Only the person who searched can page') },
    });
    expect(harness.fake.originalMessage(searchToken).embeds[0]!.footer!.text).toMatch(
      new RegExp(`^Page 2/${Math.ceil(expected.length / 10)} `),
    );
  });

  it('filters by publisher (with autocomplete) and rejects malformed dates privately', async () => {
    const choices = harness.fake.autocomplete(
      'search',
      [
        { name: 'query', value: 'x' },
        { name: 'publisher', value: 'prensa' },
      ],
      'publisher',
    );
    expect(bodyOf(await callbackFor(harness.fake, choices.token))).toEqual({
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: [{ name: 'Prensa Latina', value: 'Prensa Latina' }] },
    });

    const filtered = harness.fake.slashCommand(
      'search',
      [
        { name: 'query', value: query },
        { name: 'publisher', value: 'Prensa Latina' },
      ],
      { userId: newUser() },
    );
    const body = bodyOf(await editFor(harness.fake, filtered.token));
    expect(body.embeds![0]!.footer!.text).toContain('publisher “Prensa Latina”');
    expect(body.embeds![0]!.description).not.toMatch(/UrduPoint|Radio Habana/);

    const badDate = harness.fake.slashCommand(
      'search',
      [
        { name: 'query', value: query },
        { name: 'after', value: '2023-02-31' },
      ],
      { userId: newUser() },
    );
    expect((await callbackFor(harness.fake, badDate.token)).body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: {
        flags: MessageFlags.Ephemeral,
        content: 'Sorry, I cannot answer that: `after` 2023-02-31 does not exist: February 2023 has 28 days.',
      },
    });
    const reversed = harness.fake.slashCommand(
      'search',
      [
        { name: 'query', value: query },
        { name: 'after', value: '2022-02-19' },
        { name: 'before', value: '2022-02-18' },
      ],
      { userId: newUser() },
    );
    expect((await callbackFor(harness.fake, reversed.token)).body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral, content: 'Sorry, I cannot answer that: `after` must not be later than `before`.' },
    });
  });

  it('reads after = before as that one day', async () => {
    const day = '2020-09-28';
    const expectedIds = (await engine.ask(query, { k: 30, allowSameDocument: true, after: day, before: day })).results.map(
      (result) => result.docId,
    );
    expect(expectedIds.length).toBeGreaterThan(0);
    expect(new Set(expectedIds)).toEqual(new Set(['004_64023994e98280a4']));
    const oneDay = harness.fake.slashCommand(
      'search',
      [
        { name: 'query', value: query },
        { name: 'after', value: day },
        { name: 'before', value: day },
      ],
      { userId: newUser() },
    );
    const body = bodyOf(await editFor(harness.fake, oneDay.token));
    const pages = Math.ceil(expectedIds.length / 10);
    expect(body.embeds![0]!.footer!.text).toBe(`Page 1/${pages} · ${expectedIds.length} passages · after ${day} · before ${day}`);
    expect(body.embeds![0]!.description!.match(/`004_64023994e98280a4`/g)).toHaveLength(Math.min(10, expectedIds.length));
  });
});

function body(message: APIMessage): SentBody {
  return message as unknown as SentBody;
}

describe('/source, /sources, /help', () => {
  it('autocompletes article titles and ids (≤ 25 choices, names ≤ 100 characters)', async () => {
    const { token } = harness.fake.autocomplete('source', [{ name: 'document', value: 'CUBA' }], 'document');
    const choices = bodyOf(await callbackFor(harness.fake, token)) as { data?: { choices: Array<{ name: string; value: string }> } };
    const matching = engine.documents().filter((doc) => doc.title.toLowerCase().includes('cuba'));
    expect(choices.data!.choices.map((choice) => choice.value)).toEqual(matching.map((doc) => doc.id));
    for (const choice of choices.data!.choices) expect(choice.name.length).toBeLessThanOrEqual(100);

    const byId = harness.fake.autocomplete('source', [{ name: 'document', value: '003_' }], 'document');
    const idChoices = bodyOf(await callbackFor(harness.fake, byId.token)) as { data?: { choices: Array<{ value: string }> } };
    expect(idChoices.data!.choices.map((choice) => choice.value)).toEqual(['003_45658bbe9a33cf7d']);
  });

  it('/source shows one article privately: metadata and opening lines', async () => {
    const document = engine.getDocument('004_64023994e98280a4')!;
    const { token } = harness.fake.slashCommand('source', [{ name: 'document', value: document.id }], { userId: newUser() });
    const embed = bodyOf(await editFor(harness.fake, token)).embeds![0]!;
    expect(embed.title).toBe(escapeSourceText(document.title));
    expect(embed.url).toBe(document.url);
    expect(embed.fields).toContainEqual({ name: 'Publisher', value: 'Prensa Latina', inline: true });
    expect(embed.fields).toContainEqual({ name: 'Document id', value: `\`${document.id}\``, inline: false });
    expect(unquote(embed.description!)).toContain('The Russian Minister of Foreign Affairs, Serguei Lavrov, meets today');
    expect(harness.fake.originalMessage(token).flags! & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);

    const unknown = harness.fake.slashCommand('source', [{ name: 'document', value: 'no such article' }], { userId: newUser() });
    expect(bodyOf(await editFor(harness.fake, unknown.token)).content).toMatch(/^No article matches that/);
  });

  it('/sources lists every article with publisher and date', async () => {
    const { token } = harness.fake.slashCommand('sources', [], { userId: newUser() });
    const embed = bodyOf(await editFor(harness.fake, token)).embeds![0]!;
    expect(embed.title).toBe('Articles I can quote (5)');
    for (const doc of engine.documents()) expect(embed.description).toContain(`\`${doc.id}\``);
    expect(embed.description).toContain('Prensa Latina · 2020-09-28 · `004_64023994e98280a4`');
    expect(embed.footer!.text).toMatch(/^Page 1\/1/);
  });

  it('/help explains every command, the context menu and the mention, privately', async () => {
    const { token } = harness.fake.slashCommand('help', [], { userId: newUser() });
    const callback = await callbackFor(harness.fake, token);
    expect(callback.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    const description = messageOf(callback).embeds![0]!.description!;
    for (const usage of [
      '/ask question:… [results] [private] [thread]',
      '/search query:…',
      '/source document:…',
      '/sources',
      '/help',
      'Find sources',
      'Mention me',
    ]) {
      expect(description).toContain(usage);
    }
  });
});

describe('"Find sources" context menu', () => {
  it('quotes the passages that discuss the claim in a message, judged as a claim', async () => {
    const claim = 'Moscow sent five planes with medical equipment to Cuba';
    const expected = await engine.ask(claim, { k: 3, claim: true });
    const target = harness.fake.userMessage({ content: claim, authorId: newUser() });
    const { token } = harness.fake.messageContextMenu('Find sources', target, { userId: newUser() });
    const body = bodyOf(await editFor(harness.fake, token));
    expect(harness.fake.callsFor(token)[0]!.body).toMatchObject({ data: { flags: MessageFlags.Ephemeral } });
    expect(body.content).toBe(`**Claim:** ${claim}`);
    expectQuotes(body, expected.results);
    expect(body.embeds![0]!.description).toContain('five planes');
  });

  it('reads a claim without the quote reader, and a message that asks as a question', async () => {
    // Texts whose first quote the reader changes, so the test shows which way each was asked (a claim
    // with a question word in it: without one, it would be keywords, which are never read).
    for (const [text, claim] of [
      ['Lavrov met Díaz-Canel when he visited Havana', true],
      ['Did Cuba receive Russian vaccines?', false],
    ] as const) {
      const expected = await engine.ask(text, { k: 3, claim });
      expect(expected.results[0]?.quote).not.toBe((await engine.ask(text, { k: 3, claim: !claim })).results[0]?.quote);
      const target = harness.fake.userMessage({ content: text, authorId: newUser() });
      const { token } = harness.fake.messageContextMenu('Find sources', target, { userId: newUser() });
      expectQuotes(bodyOf(await editFor(harness.fake, token)), expected.results);
    }
  });

  it('explains privately when the message has no text', async () => {
    const target = harness.fake.userMessage({ content: '', authorId: newUser() });
    const { token } = harness.fake.messageContextMenu('Find sources', target, { userId: newUser() });
    expect((await callbackFor(harness.fake, token)).body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral, content: expect.stringContaining('no text to look up') },
    });
  });
});

describe('feedback buttons', () => {
  it('log one structured event per click on a quote, count a repeated click once, and thank the clicker privately', async () => {
    const question = 'What did Jake Sullivan call the remarks about sending forces to Cuba and Venezuela?';
    const expected = await engine.ask(question, { k: 3 });
    const { token } = harness.fake.slashCommand(
      'ask',
      [
        { name: 'question', value: question },
        { name: 'private', value: false },
      ],
      { userId: newUser() },
    );
    await editFor(harness.fake, token);
    const answer = harness.fake.originalMessage(token);
    const buttons = feedbackButtons(body(answer));
    const helpfulFirst = buttons.find((id) => id.endsWith(':0:h'))!;
    const wrongLast = buttons.find((id) => id.endsWith(`:${expected.results.length - 1}:w`))!;

    const click = harness.fake.clickButton(helpfulFirst, { message: answer, userId: newUser() });
    expect((await callbackFor(harness.fake, click.token)).body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral, content: 'Thanks — glad quote 1 helped.' },
    });
    const clicker = newUser();
    for (let i = 0; i < 2; i++)
      await callbackFor(harness.fake, harness.fake.clickButton(wrongLast, { message: answer, userId: clicker }).token);

    const events = harness.logs.filter((line) => line.event === 'feedback');
    const resultId = (result: AnswerResult) => `${result.docId}:${result.start}-${result.end}`;
    expect(events.slice(-2)).toEqual([
      expect.objectContaining({
        event: 'feedback',
        verdict: 'helpful',
        question,
        resultId: resultId(expected.results[0]!),
        guildId: harness.fake.guildId,
        channelId: harness.fake.channelId,
      }),
      expect.objectContaining({ event: 'feedback', verdict: 'wrong', question, resultId: resultId(expected.results.at(-1)!) }),
    ]);
  });
});

describe('buttons routed by namespace', () => {
  /** A message of the bot's holding one button with this custom id, as an old message might. */
  function messageWithButton(customId: string): APIMessage {
    // A fresh id, so the fake takes this message as it is rather than the one it stored.
    const base = harness.fake.userMessage({ content: 'an older answer', authorId: newUser() });
    return {
      ...base,
      id: snowflake(),
      components: [{ type: 1, components: [{ type: 2, style: 2, label: 'Old', custom_id: customId }] }],
    } as APIMessage;
  }

  it('tells the clicker privately when no handler answers the namespace, or the session has expired', async () => {
    const cases: Array<[string, string]> = [
      ['retired:abc:1', 'These buttons no longer work — run the command again.'],
      ['feedback:expiredKey:1', 'These feedback buttons have expired — thanks anyway!'],
      ['search:expiredKey:1:next', 'These buttons have expired — run `/search` again.'],
    ];
    for (const [customId, text] of cases) {
      const click = harness.fake.clickButton(customId, { message: messageWithButton(customId), userId: newUser() });
      expect((await callbackFor(harness.fake, click.token)).body, customId).toMatchObject({
        type: InteractionResponseType.ChannelMessageWithSource,
        data: { flags: MessageFlags.Ephemeral, content: text },
      });
    }
  });
});

describe('every message the bot sent', () => {
  it('disables pings, stays within Discord limits, and used only routes Discord has', () => {
    const writes = messageWrites(harness.fake);
    expect(writes.length).toBeGreaterThan(20);
    for (const call of writes) {
      const message = messageOf(call);
      expect(message.allowed_mentions?.parse, `${call.method} ${call.path}`).toEqual([]);
      expect(limitViolations(message), `${call.method} ${call.path}`).toEqual([]);
      expect(call.status, `${call.method} ${call.path}`).toBeLessThan(300);
    }
    expect(harness.fake.unhandled).toEqual([]);
    expect(harness.fake.calls.filter((call) => call.status >= 400)).toEqual([]);
    expect(harness.logs.filter((line) => line.level >= 50)).toEqual([]);
  });
});
