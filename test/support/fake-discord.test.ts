import { once } from 'node:events';
import {
  ActionRowBuilder,
  type AutocompleteInteraction,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  ChannelType,
  type ChatInputCommandInteraction,
  Client,
  type ClientEvents,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  InteractionResponseType,
  type Message,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { FakeDiscord, shardOfGuild } from './fake-discord.js';

/** Resolves with the first argument of the client's next `event`; start it before triggering the event. */
async function next<E extends keyof ClientEvents>(client: Client, event: E): Promise<ClientEvents[E][0]> {
  const [first] = (await once(client, event)) as ClientEvents[E];
  return first;
}

describe('FakeDiscord without a client', () => {
  it('reports unknown routes, unsupported gateway encodings and timed-out waits clearly', async () => {
    const fake = await FakeDiscord.start();
    try {
      const response = await fetch(`${fake.apiUrl}/v10/guilds/1/bans`, { headers: { authorization: 'Bot any-token' } });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: '404: Not Found', code: 0 });
      expect(fake.unhandled).toEqual(['GET /guilds/1/bans']);
      await expect(fake.waitForCall((call) => call.method === 'DELETE', 50)).rejects.toThrow(
        /timed out after 50 ms waiting for a REST call matching[\s\S]*GET \/guilds\/1\/bans -> 404/,
      );
      expect(() => fake.slashCommand('ask')).toThrow(/no client has identified yet/);

      // Only what discord.js negotiates by default is spoken: JSON, uncompressed.
      const socket = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=etf`);
      const [code] = (await once(socket, 'close')) as [number];
      expect(code).toBe(4012);
      expect(fake.unhandled).toContain('gateway connection /?v=10&encoding=etf');
    } finally {
      await fake.close();
    }
  });
});

describe('FakeDiscord with the real discord.js client', () => {
  let fake: FakeDiscord;
  let client: Client;

  beforeAll(async () => {
    // A short heartbeat so the test sees a heartbeat being acknowledged.
    fake = await FakeDiscord.start({ heartbeatIntervalMs: 100 });
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
      rest: { api: fake.apiUrl },
    });
    const ready = next(client, Events.ClientReady);
    await client.login('any-token');
    await ready;
    await fake.waitForReady();
  });

  afterAll(async () => {
    // The last test closes both; this is the safety net when it fails early. Both calls are idempotent.
    await client?.destroy();
    await fake?.close();
  });

  it('logs in: READY, GUILD_CREATE, intents and heartbeats', async () => {
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(fake.identify?.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(fake.channelId)?.type).toBe(ChannelType.GuildText);
    expect(guild?.members.me?.id).toBe(fake.botUser.id);
    await vi.waitFor(() => expect(client.ws.ping).toBeGreaterThanOrEqual(0), { timeout: 2_000 });
  });

  it('registers commands, fetches the application, and dispatches with the registered command id', async () => {
    const application = await client.application!.fetch();
    expect(application.id).toBe(fake.applicationId);
    const guildCommands = await client.guilds.cache.get(fake.guildId)!.commands.set([{ name: 'ask', description: 'Ask the articles' }]);
    const registered = guildCommands.first()!;
    expect(registered.name).toBe('ask');
    expect(fake.calls.at(-1)).toMatchObject({
      method: 'PUT',
      path: `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`,
      body: [{ name: 'ask', description: 'Ask the articles' }],
    });

    const received = next(client, Events.InteractionCreate);
    fake.slashCommand('ask');
    const interaction = (await received) as ChatInputCommandInteraction;
    expect(interaction.commandId).toBe(registered.id);
    expect(interaction.command?.id).toBe(registered.id);
    await interaction.reply('ok');
  });

  it('delivers a slash command and records deferReply, editReply and followUp', async () => {
    const received = next(client, Events.InteractionCreate);
    const { token } = fake.slashCommand(
      'ask',
      [
        { name: 'question', value: 'why?' },
        { name: 'count', value: 3 },
        { name: 'public', value: true },
      ],
      { subcommand: 'quote' },
    );
    const interaction = (await received) as ChatInputCommandInteraction;

    expect(interaction.isChatInputCommand()).toBe(true);
    expect(interaction.commandName).toBe('ask');
    expect(interaction.options.getSubcommand()).toBe('quote');
    expect(interaction.options.getString('question')).toBe('why?');
    expect(interaction.options.getInteger('count')).toBe(3);
    expect(interaction.options.getBoolean('public')).toBe(true);
    expect(interaction.user.id).toBe(fake.user.id);
    expect(interaction.inCachedGuild()).toBe(true);
    expect(interaction.channelId).toBe(fake.channelId);

    await interaction.deferReply();
    const embed = new EmbedBuilder().setTitle('Source').setDescription('A quote.');
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('more').setLabel('More').setStyle(ButtonStyle.Primary),
    );
    const reply = await interaction.editReply({
      content: 'An answer',
      embeds: [embed],
      components: [row],
      allowedMentions: { parse: [] },
    });
    expect(reply.content).toBe('An answer');
    expect((await interaction.fetchReply()).embeds[0]?.title).toBe('Source');
    await interaction.followUp({ content: 'Also this', flags: MessageFlags.Ephemeral });

    const [callback, edit, fetched, followUp] = fake.callsFor(token);
    expect(fetched).toMatchObject({ method: 'GET', status: 200 });
    expect(callback).toMatchObject({
      method: 'POST',
      query: { with_response: 'false' },
      body: { type: InteractionResponseType.DeferredChannelMessageWithSource },
      status: 204,
    });
    expect(edit).toMatchObject({
      method: 'PATCH',
      path: `/webhooks/${fake.applicationId}/${token}/messages/@original`,
      body: {
        content: 'An answer',
        embeds: [{ title: 'Source', description: 'A quote.' }],
        components: [{ type: 1, components: [{ type: 2, custom_id: 'more', label: 'More' }] }],
        allowed_mentions: { parse: [] },
      },
      status: 200,
    });
    expect(followUp).toMatchObject({
      method: 'POST',
      path: `/webhooks/${fake.applicationId}/${token}`,
      body: { content: 'Also this', flags: MessageFlags.Ephemeral },
      status: 200,
    });
    expect(fake.originalMessage(token).content).toBe('An answer');
    await expect(interaction.deferReply()).rejects.toThrow(/already been sent or deferred/);
  });

  it('clicks a button on the bot reply and records update()', async () => {
    const command = fake.slashCommand('ask', [{ name: 'question', value: 'why?' }]);
    const commandInteraction = (await next(client, Events.InteractionCreate)) as ChatInputCommandInteraction;
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('next-page').setLabel('Next').setStyle(ButtonStyle.Secondary),
    );
    await commandInteraction.reply({ content: 'Page 1', components: [row] });

    const received = next(client, Events.InteractionCreate);
    const click = fake.clickButton('next-page', { message: fake.originalMessage(command.token) });
    const button = (await received) as ButtonInteraction;
    expect(button.isButton()).toBe(true);
    expect(button.customId).toBe('next-page');
    expect(button.message.content).toBe('Page 1');

    await button.update({ content: 'Page 2', components: [] });
    expect(fake.callsFor(click.token)).toMatchObject([
      { body: { type: InteractionResponseType.UpdateMessage, data: { content: 'Page 2', components: [] } } },
    ]);
    expect(fake.originalMessage(click.token).content).toBe('Page 2');
    expect(() => fake.clickButton('missing', { message: fake.originalMessage(command.token) })).toThrow(/no button "missing"/);
  });

  it('records autocomplete respond()', async () => {
    const received = next(client, Events.InteractionCreate);
    const { token } = fake.autocomplete('ask', [{ name: 'question', value: 'wh' }], 'question');
    const interaction = (await received) as AutocompleteInteraction;
    expect(interaction.isAutocomplete()).toBe(true);
    expect(interaction.options.getFocused(true)).toMatchObject({ name: 'question', value: 'wh' });

    await interaction.respond([{ name: 'why?', value: 'why?' }]);
    expect(fake.callsFor(token)).toMatchObject([
      {
        body: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [{ name: 'why?', value: 'why?' }] } },
        status: 204,
      },
    ]);
  });

  it('delivers a message context-menu command and answers reply({ withResponse })', async () => {
    const target = fake.userMessage({ content: 'Quote me' });
    const received = next(client, Events.InteractionCreate);
    const { token } = fake.messageContextMenu('Find source', target);
    const interaction = (await received) as MessageContextMenuCommandInteraction;
    expect(interaction.isMessageContextMenuCommand()).toBe(true);
    expect(interaction.targetMessage.content).toBe('Quote me');

    const response = await interaction.reply({ content: 'Found it', flags: MessageFlags.Ephemeral, withResponse: true });
    expect(response.resource?.message?.content).toBe('Found it');
    expect(response.interaction.responseMessageEphemeral).toBe(true);
    expect(fake.callsFor(token)[0]?.query).toEqual({ with_response: 'true' });
    await interaction.deleteReply();
    expect(() => fake.originalMessage(token)).toThrow(/no original response/);
  });

  it('delivers MESSAGE_CREATE and records message.reply() with a message_reference', async () => {
    const received = next(client, Events.MessageCreate);
    const question = fake.userMessage({ content: 'what is a quote?', mentionsBot: true });
    const message = (await received) as Message;
    expect(message.id).toBe(question.id);
    expect(message.content).toBe(`<@${fake.botUser.id}> what is a quote?`);
    expect(message.mentions.users.has(fake.botUser.id)).toBe(true);
    expect(message.author.bot).toBe(false);

    // Discord echoes the bot's own messages back to it, which is why bots must ignore them.
    const echoed = next(client, Events.MessageCreate);
    await (message.channel as TextChannel).sendTyping();
    const answer = await message.reply({ content: 'A quote is…', allowedMentions: { repliedUser: false } });
    expect((await echoed).author.id).toBe(fake.botUser.id);
    expect(answer.reference?.messageId).toBe(question.id);

    const post = await fake.waitForCall((call) => call.method === 'POST' && call.path === `/channels/${fake.channelId}/messages`);
    expect(post.body).toMatchObject({ content: 'A quote is…', message_reference: { message_id: question.id } });

    const history = await message.channel.messages.fetch({ limit: 2 });
    expect([...history.keys()]).toEqual([answer.id, question.id]);
  });

  it('creates threads from a message and from a channel', async () => {
    const received = next(client, Events.MessageCreate);
    fake.userMessage({ content: 'start a thread here' });
    const message = (await received) as Message;

    const fromMessage = await message.startThread({ name: 'Answers' });
    expect(fromMessage.id).toBe(message.id);
    expect(fromMessage.type).toBe(ChannelType.PublicThread);
    expect(fromMessage.parentId).toBe(fake.channelId);

    const channel = client.channels.cache.get(fake.channelId) as TextChannel;
    const standalone = await channel.threads.create({ name: 'Standalone' });
    expect((await client.channels.fetch(standalone.id, { force: true }))?.isThread()).toBe(true);
    // With files discord.js sends multipart/form-data; the JSON part is recorded as the body.
    const sent = await standalone.send({
      content: 'Inside the thread',
      files: [{ attachment: Buffer.from('a quote'), name: 'quote.txt' }],
    });
    expect(sent.attachments.first()?.name).toBe('quote.txt');
    const post = await fake.waitForCall((call) => call.path === `/channels/${standalone.id}/messages`);
    expect(post).toMatchObject({
      body: { content: 'Inside the thread', attachments: [{ id: '0' }] },
      files: [{ field: 'files[0]', name: 'quote.txt', size: 7 }],
      status: 200,
    });
  });

  it('ends cleanly: client.destroy() then fake.close(), with no unhandled routes', async () => {
    expect(fake.unhandled).toEqual([]);
    await client.destroy();
    await fake.close();
    await expect(fetch(`${fake.apiUrl}/v10/users/@me`)).rejects.toThrow();
  });
});

describe('FakeDiscord with sharded clients', () => {
  it('recommends its shard count, and routes each guild to the shard (guild_id >> 22) % count', async () => {
    const fake = await FakeDiscord.start({ shards: 2 });
    const clients: Client[] = [];
    try {
      const response = await fetch(`${fake.apiUrl}/v10/gateway/bot`, { headers: { authorization: 'Bot any-token' } });
      expect(((await response.json()) as { shards: number }).shards).toBe(2);

      const first = fake.addGuild({ shard: [0, 2] });
      const second = fake.addGuild({ shard: [1, 2] });
      expect(shardOfGuild(first.guildId, 2)).toBe(0);
      expect(shardOfGuild(second.guildId, 2)).toBe(1);
      expect(BigInt(first.guildId) >> 22n).toBeGreaterThan(0n); // a real, time-based snowflake

      for (const id of [0, 1]) {
        const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl }, shards: [id], shardCount: 2 });
        clients.push(client);
        const ready = next(client, Events.ClientReady);
        await client.login('any-token');
        await ready;
        await fake.waitForShard(id, 2);
      }
      expect(fake.identifies.map((identify) => identify.shard)).toEqual([
        [0, 2],
        [1, 2],
      ]);
      expect(fake.connectedShards()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      // Each client knows only its shard's guilds (the default guild lands on either).
      const expected = (shard: number) =>
        [fake.guildId, first.guildId, second.guildId].filter((id) => shardOfGuild(id, 2) === shard).sort();
      expect([...clients[0]!.guilds.cache.keys()].sort()).toEqual(expected(0));
      expect([...clients[1]!.guilds.cache.keys()].sort()).toEqual(expected(1));

      // An interaction in a guild of shard 1 reaches client 1 only.
      const seen: number[] = [];
      clients.forEach((client, i) => client.on(Events.InteractionCreate, () => seen.push(i)));
      const arrived = next(clients[1]!, Events.InteractionCreate);
      fake.slashCommand('ask', [{ name: 'question', value: 'why?' }], { channelId: second.channelId });
      const interaction = await arrived;
      expect(interaction.guildId).toBe(second.guildId);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toEqual([1]);

      // A guild joined later is announced to its shard.
      const joined = next(clients[0]!, Events.GuildCreate);
      const third = fake.addGuild({ name: 'Joined Later', shard: [0, 2] });
      expect((await joined).id).toBe(third.guildId);

      // A shard id outside 0..count-1 is refused like Discord does (4010 Invalid shard).
      const socket = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
      await once(socket, 'message');
      socket.send(JSON.stringify({ op: 2, d: { token: 'any-token', intents: 1, properties: {}, shard: [2, 2] } }));
      const [code] = (await once(socket, 'close')) as [number];
      expect(code).toBe(4010);
    } finally {
      for (const client of clients) await client.destroy();
      await fake.close();
    }
  });
});
