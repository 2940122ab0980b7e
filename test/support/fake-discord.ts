/**
 * A fake Discord (REST API + gateway) on 127.0.0.1 that the real discord.js `Client` can log into,
 * so bot tests exercise the real client end to end.
 *
 *   const fake = await FakeDiscord.start();
 *   const client = new Client({ intents, rest: { api: fake.apiUrl } });
 *   await client.login('any-token');
 *   await fake.waitForReady();
 *   const { token } = fake.slashCommand('ask', [{ name: 'question', value: 'why?' }]);
 *   const edit = await fake.waitForCall((c) => c.method === 'PATCH' && c.path.endsWith('/@original'));
 *   await client.destroy(); // before fake.close(), or the client keeps trying to reconnect
 *   await fake.close();
 *
 * One HTTP server serves both REST (under /api/v10) and the WebSocket gateway. The gateway speaks
 * what discord.js 14 negotiates by default: `?v=10&encoding=json`, uncompressed (it only asks for
 * zlib-stream when the optional `zlib-sync` package is installed, which this project does not have).
 *
 * Realism that is there to catch bot bugs: a second callback for one interaction is rejected (40060),
 * buttons must exist on the clicked message, guild MESSAGE_CREATE needs the GuildMessages intent and
 * message content is blanked without MessageContent (unless the bot is mentioned), and the bot's own
 * messages come back to it as MESSAGE_CREATE.
 *
 * Sharding, as Discord does it: IDENTIFY may carry `shard: [id, count]` (an id outside 0..count-1 is
 * closed with 4010), GET /gateway/bot recommends `options.shards`, and each guild's events (READY's
 * guild list, GUILD_CREATE, interactions, messages, threads) go only to the shard
 * `(guild_id >> 22) % count`. `addGuild({ shard: [id, count] })` makes a guild that lands on a given shard.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationFlags,
  ChannelType,
  ComponentType,
  EmbedType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageReferenceType,
  MessageType,
  PermissionFlagsBits,
  type GuildMemberFlags,
  type RoleFlags,
  type ThreadMemberFlags,
  ThreadAutoArchiveDuration,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIAttachment,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIEmbed,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageApplicationCommandGuildInteraction,
  type APIMessageComponentGuildInteraction,
  type APIMessageInteractionMetadata,
  type APIMessageTopLevelComponent,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type GatewayIdentifyData,
  type GatewayReadyDispatchData,
  type Snowflake,
} from 'discord.js';

/** One REST request the fake received, with what it answered. */
export interface RecordedCall {
  method: string;
  /** Path below `/api/v10`, e.g. `/channels/123/messages`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body; for multipart requests the parsed `payload_json`. Undefined without a body. */
  body: unknown;
  /** Files of a multipart request. */
  files: UploadedFile[];
  status: number;
  /** The JSON the fake answered with; undefined for 204 No Content. */
  response: unknown;
  /** When the fake answered it (performance.now()). */
  at: number;
}

export interface UploadedFile {
  field: string;
  name: string;
  size: number;
  contentType: string;
}

export interface FakeDiscordOptions {
  /** Sent in HELLO; the client heartbeats at this pace (Discord uses about 41 s). */
  heartbeatIntervalMs?: number;
  botUsername?: string;
  /** The shard count GET /gateway/bot recommends (default 1). */
  shards?: number;
}

export interface GuildRef {
  guildId: Snowflake;
  /** The guild's one text channel, `general`. */
  channelId: Snowflake;
}

/** A command option as a test writes it; the Discord option type is inferred from `value`. */
export interface CommandOptionInput {
  name: string;
  value: string | number | boolean;
  /** Overrides the inferred type (string 3, integer 4, other number 10, boolean 5). */
  type?: ApplicationCommandOptionType;
}

export interface InteractionOptions {
  /** Defaults to `fake.user`; unknown ids get a generated user. */
  userId?: Snowflake;
  /** Defaults to `fake.channelId`; may be a thread the fake created. */
  channelId?: Snowflake;
  subcommand?: string;
  /** The member's permissions in the channel; defaults to what @everyone has (no Manage Server). */
  permissions?: bigint;
}

export interface UserMessageOptions {
  content: string;
  channelId?: Snowflake;
  /** Prefixes `<@BOT_ID> ` to the content (unless present) and lists the bot in `mentions`. */
  mentionsBot?: boolean;
  authorId?: Snowflake;
  /** Makes this a reply (type 19) to that message. */
  referencedMessage?: APIMessage;
}

export interface InteractionRef {
  id: Snowflake;
  token: string;
}

/** Messages carry `guild_id` like Discord's gateway payloads do. */
type StoredMessage = APIMessage & { guild_id: Snowflake };
type FakeChannel = APITextChannel | APIThreadChannel;

/** The message fields discord.js sends when creating or editing messages. */
interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  tts?: boolean;
  attachments?: { id: Snowflake | number }[];
  message_reference?: { message_id: Snowflake; channel_id?: Snowflake; fail_if_not_exists?: boolean };
}

interface InteractionState {
  id: Snowflake;
  token: string;
  type: InteractionType;
  channelId: Snowflake;
  /** Type of the messages this interaction's responses create. */
  messageType: MessageType;
  metadata: APIMessageInteractionMetadata;
  /** The clicked message, for component interactions: type 6/7 callbacks act on it. */
  componentMessageId?: Snowflake;
  acknowledged: boolean;
  /** What `@original` refers to once the interaction has been answered. */
  originalMessageId?: Snowflake;
  /** The member's permissions, as the interaction payload carries them. */
  permissions: bigint;
}

export interface ParsedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
  authorized: boolean;
}

export interface Reply {
  status: number;
  body?: unknown;
}

interface Waiter {
  check(): void;
  fail(error: Error): void;
}

interface GatewaySession {
  socket: WebSocket;
  seq: number;
  identified: boolean;
  /** `[shard_id, num_shards]` from IDENTIFY; `[0, 1]` when the client did not send one. */
  shard: [number, number];
  /** READY and every GUILD_CREATE of its shard have been written. */
  ready: boolean;
}

/** Which shard receives a guild's events: Discord's `(guild_id >> 22) % num_shards`. */
export function shardOfGuild(guildId: Snowflake, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

const DISCORD_EPOCH = 1_420_070_400_000n;
let lastSnowflake = 0n;

/** Time-based ids like Discord's (19 digits today), strictly increasing so history sorts by id. */
export function snowflake(): Snowflake {
  const fromClock = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
  lastSnowflake = fromClock > lastSnowflake ? fromClock : lastSnowflake + 1n;
  return lastSnowflake.toString();
}

const now = (): string => new Date().toISOString();

const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands;
const BOT_PERMISSIONS = EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageMessages | PermissionFlagsBits.ManageThreads;

/** A guild member without its `user`, as MESSAGE_CREATE carries it; add `user` elsewhere. */
function memberFields(roles: Snowflake[] = []): Omit<APIGuildMember, 'user'> {
  return {
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: now(),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** Discord JSON error codes the fake answers with. */
const ErrorCode = {
  UnknownChannel: 10003,
  UnknownMessage: 10008,
  UnknownWebhook: 10015,
  UnknownInteraction: 10062,
  AlreadyAcknowledged: 40060,
  InvalidFormBody: 50035,
  ThreadAlreadyCreated: 160004,
} as const;

/** Which callback types Discord accepts for each kind of interaction the fake can send. */
const ALLOWED_CALLBACKS: Partial<Record<InteractionType, InteractionResponseType[]>> = {
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [InteractionResponseType.ApplicationCommandAutocompleteResult],
};

const ok = (body: unknown): Reply => ({ status: 200, body });
const noContent: Reply = { status: 204 };
const discordError = (status: number, code: number, message: string): Reply => ({ status, body: { message, code } });

/** `'/channels/:channelId/messages'` → `'channelId'`, so route handlers get typed params. */
type ParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;

interface Route {
  method: string;
  pattern: RegExp;
  handle(values: string[], request: ParsedRequest): Reply;
}

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  /** `METHOD /path` of requests (and gateway opcodes) the fake does not implement; tests should expect none. */
  readonly unhandled: string[] = [];
  /** When each heartbeat (op 1) arrived (performance.now()), to check that a busy bot keeps its pace. */
  readonly heartbeats: number[] = [];
  /** When each interaction was dispatched (performance.now()), by token, to measure acknowledgement latency. */
  readonly dispatchedAt = new Map<string, number>();
  /** The IDENTIFY payload (`d`) of the latest client that logged in. */
  identify: GatewayIdentifyData | undefined;
  /** Every IDENTIFY payload received, in order (one per shard login). */
  readonly identifies: GatewayIdentifyData[] = [];
  /** The close code of every gateway connection that ended, in order (1000: the client logged out cleanly). */
  readonly closeCodes: number[] = [];

  readonly botUser: APIUser;
  /** The bot's application; like modern bots, its id equals the bot user's id. */
  readonly applicationId: Snowflake;
  /** The human who triggers interactions and writes messages by default. */
  readonly user: APIUser;
  /** The guild (and its channel) every test uses unless it adds others with `addGuild`. */
  readonly guildId = snowflake();
  readonly channelId = snowflake();

  protected readonly users = new Map<Snowflake, APIUser>();
  protected readonly channels = new Map<Snowflake, FakeChannel>();
  protected readonly messages = new Map<Snowflake, StoredMessage>();
  private readonly interactions = new Map<string, InteractionState>();
  /** Registered commands by name, so dispatched interactions carry the registered ids. */
  private readonly commands = new Map<string, { id: Snowflake; guildId?: Snowflake }>();
  /** Files users attached, served by the CDN route under `/attachments/`. */
  private readonly attachmentFiles = new Map<string, { attachment: APIAttachment; bytes: Buffer }>();
  /** Every guild the bot is in, with the id of the bot's role there. */
  protected readonly guilds = new Map<Snowflake, { name: string; botRoleId: Snowflake; systemChannelId: Snowflake }>();
  private readonly sessions = new Set<GatewaySession>();
  private readonly waiters = new Set<Waiter>();
  private readonly routes: Route[] = [];
  private readonly server = createServer((req, res) => void this.onHttpRequest(req, res));
  private readonly gateway = new WebSocketServer({ server: this.server });
  private readonly heartbeatIntervalMs: number;
  private readonly recommendedShards: number;
  private port = 0;
  private readyDelivered = false;
  private closed = false;

  protected constructor(options: FakeDiscordOptions) {
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.recommendedShards = options.shards ?? 1;
    this.botUser = {
      id: snowflake(),
      username: options.botUsername ?? 'QuoteBot',
      discriminator: '0000',
      global_name: null,
      avatar: null,
      bot: true,
      verified: true,
    };
    this.applicationId = this.botUser.id;
    this.user = { id: snowflake(), username: 'tester', global_name: 'Tester', discriminator: '0', avatar: null };
    for (const user of [this.botUser, this.user]) this.users.set(user.id, user);
    this.createGuild(this.guildId, this.channelId, 'Fake Guild');
    this.gateway.on('connection', (socket, request) => this.onGatewayConnection(socket, request));
    this.registerRoutes();
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new this(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', resolve);
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** Pass as `rest.api`; discord.js appends `/v10`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Resolves once a client has identified and READY + GUILD_CREATE have been written to it. */
  waitForReady(timeoutMs = 10_000): Promise<void> {
    return this.waitFor('a client to identify and receive READY + GUILD_CREATE', () => this.readyDelivered || undefined, timeoutMs).then(
      () => undefined,
    );
  }

  /** Resolves once a connection identified as shard `id` (of `count`) is open and has its READY and GUILD_CREATEs. */
  waitForShard(id: number, count: number, timeoutMs = 10_000): Promise<void> {
    return this.waitFor(
      `shard [${id}, ${count}] to identify and receive READY + GUILD_CREATE`,
      () => [...this.sessions].some((session) => session.ready && session.shard[0] === id && session.shard[1] === count) || undefined,
      timeoutMs,
    ).then(() => undefined);
  }

  /** `[shard_id, num_shards]` of every open, identified gateway connection. */
  connectedShards(): [number, number][] {
    return [...this.sessions].filter((session) => session.identified).map((session) => session.shard);
  }

  /**
   * The bot joins another guild with one text channel. With `shard: [id, count]` its id is chosen so
   * that Discord would route it to that shard. A connected shard that owns it receives GUILD_CREATE.
   */
  addGuild({ name = 'Another Guild', shard }: { name?: string; shard?: [number, number] } = {}): GuildRef {
    let guildId = snowflake();
    if (shard) {
      const [id, count] = shard;
      // Ids are time-based: step the timestamp part (above bit 22) to the next one that lands on `id`.
      const time = BigInt(guildId) >> 22n;
      const step = (BigInt(id) - (time % BigInt(count)) + BigInt(count)) % BigInt(count);
      guildId = (((time + step) << 22n) | BigInt(randomBytes(2).readUInt16BE())).toString();
    }
    const channelId = snowflake();
    this.createGuild(guildId, channelId, name);
    for (const session of this.sessions) {
      if (session.identified && this.owns(session, guildId)) this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, this.guildCreatePayload(guildId));
    }
    return { guildId, channelId };
  }

  /** The first recorded call, past or future, that matches. */
  waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs = 20_000): Promise<RecordedCall> {
    return this.waitFor(`a REST call matching ${predicate.toString()}`, () => this.calls.find(predicate), timeoutMs);
  }

  /** REST calls that belong to one interaction (its callback and webhook routes), in order. */
  callsFor(interactionToken: string): RecordedCall[] {
    return this.calls.filter((call) => {
      const [, resource, , token] = call.path.split('/');
      return (resource === 'interactions' || resource === 'webhooks') && token === interactionToken;
    });
  }

  /** The message `@original` currently refers to for an interaction (throws if it has none). */
  originalMessage(interactionToken: string): APIMessage {
    const messageId = this.interactions.get(interactionToken)?.originalMessageId;
    const message = messageId && this.messages.get(messageId);
    if (!message) throw new Error(`FakeDiscord: interaction ${interactionToken} has no original response message`);
    return message;
  }

  /** Dispatches a chat-input command (INTERACTION_CREATE type 2). */
  slashCommand(name: string, options: CommandOptionInput[] = [], context: InteractionOptions = {}): InteractionRef {
    const state = this.newInteraction(InteractionType.ApplicationCommand, context);
    const payload: APIChatInputApplicationCommandGuildInteraction = {
      ...this.interactionBase(state),
      type: InteractionType.ApplicationCommand,
      data: {
        ...this.commandRef(name),
        type: ApplicationCommandType.ChatInput,
        options: this.commandOptions(options, context.subcommand),
        ...this.resolvedAttachments(options),
      },
    };
    return this.dispatchInteraction(payload);
  }

  /**
   * A file a user attaches to a command, as Discord stores it: pass `{ name, value: attachment.id, type:
   * ApplicationCommandOptionType.Attachment }` to `slashCommand`. Its bytes are served on this fake's CDN
   * route (`attachment.url`, on 127.0.0.1); `size` and `contentType` may be set to what a client would claim.
   */
  createAttachment(filename: string, data: string | Buffer, fields: { contentType?: string; size?: number } = {}): APIAttachment {
    const id = snowflake();
    const bytes = Buffer.from(data);
    const url = `http://127.0.0.1:${this.port}/attachments/${this.channelId}/${id}/${encodeURIComponent(filename)}`;
    const attachment: APIAttachment = {
      id,
      filename,
      size: fields.size ?? bytes.length,
      url,
      proxy_url: url,
      ...(fields.contentType !== undefined ? { content_type: fields.contentType } : {}),
    };
    this.attachmentFiles.set(new URL(url).pathname, { attachment, bytes });
    return attachment;
  }

  /** Dispatches an autocomplete request (type 4) with `focusedName` flagged as focused. */
  autocomplete(name: string, options: CommandOptionInput[], focusedName: string, context: InteractionOptions = {}): InteractionRef {
    if (!options.some((option) => option.name === focusedName)) {
      throw new Error(`FakeDiscord.autocomplete: no option named "${focusedName}" to focus`);
    }
    const state = this.newInteraction(InteractionType.ApplicationCommandAutocomplete, context);
    const payload: APIApplicationCommandAutocompleteGuildInteraction = {
      ...this.interactionBase(state),
      type: InteractionType.ApplicationCommandAutocomplete,
      data: {
        ...this.commandRef(name),
        type: ApplicationCommandType.ChatInput,
        options: this.commandOptions(options, context.subcommand, focusedName),
      },
    };
    return this.dispatchInteraction(payload);
  }

  /** Dispatches a message context-menu command (type 2, data.type 3) on `targetMessage`. */
  messageContextMenu(name: string, targetMessage: APIMessage, context: Pick<InteractionOptions, 'userId'> = {}): InteractionRef {
    const target = this.messages.get(targetMessage.id) ?? targetMessage;
    const state = this.newInteraction(InteractionType.ApplicationCommand, {
      ...context,
      channelId: target.channel_id,
      targetMessageId: target.id,
    });
    const payload: APIMessageApplicationCommandGuildInteraction = {
      ...this.interactionBase(state),
      type: InteractionType.ApplicationCommand,
      data: {
        ...this.commandRef(name),
        type: ApplicationCommandType.Message,
        target_id: target.id,
        resolved: { messages: { [target.id]: target } },
      },
    };
    return this.dispatchInteraction(payload);
  }

  /** Clicks a button (type 3, component_type 2) that must exist on `message`, as in Discord. */
  clickButton(customId: string, { userId, message }: { userId?: Snowflake; message: APIMessage }): InteractionRef {
    const current = this.messages.get(message.id) ?? message;
    const customIds = buttonCustomIds(current.components ?? []);
    if (!customIds.includes(customId)) {
      throw new Error(
        `FakeDiscord.clickButton: message ${current.id} has no button "${customId}" (buttons: ${customIds.join(', ') || 'none'})`,
      );
    }
    const state = this.newInteraction(InteractionType.MessageComponent, {
      userId,
      channelId: current.channel_id,
      componentMessageId: current.id,
    });
    const payload: APIMessageComponentGuildInteraction = {
      ...this.interactionBase(state),
      type: InteractionType.MessageComponent,
      message: current,
      data: { custom_id: customId, component_type: ComponentType.Button },
    };
    return this.dispatchInteraction(payload);
  }

  /** A human posts in a channel: stored in history and dispatched as MESSAGE_CREATE. */
  userMessage({ content, channelId = this.channelId, mentionsBot = false, authorId, referencedMessage }: UserMessageOptions): APIMessage {
    this.requireChannel(channelId);
    const mention = `<@${this.botUser.id}>`;
    return this.createMessage(channelId, {
      author: this.userFor(authorId),
      content: mentionsBot && !content.includes(mention) ? `${mention} ${content}` : content,
      mentions: mentionsBot ? [this.botUser] : [],
      ...(referencedMessage && {
        type: MessageType.Reply,
        message_reference: {
          type: MessageReferenceType.Default,
          message_id: referencedMessage.id,
          channel_id: referencedMessage.channel_id,
          guild_id: this.guildOf(referencedMessage.channel_id),
        },
        referenced_message: this.messages.get(referencedMessage.id) ?? referencedMessage,
      }),
    });
  }

  /** Closes the gateway and HTTP server. Destroy the discord.js client first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.fail(new Error('FakeDiscord: closed while waiting'));
    for (const { socket } of this.sessions) socket.terminate();
    await new Promise<void>((resolve) => this.gateway.close(() => resolve()));
    // undici keeps idle keep-alive sockets open; without this server.close() would wait for them.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- waiting

  private waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        check: () => {
          const value = probe();
          if (value === undefined) return;
          finish();
          resolve(value);
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.fail(new Error(`FakeDiscord: timed out after ${timeoutMs} ms waiting for ${what}.\n${this.describe()}`)),
        timeoutMs,
      );
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  /** State summary for timeout messages. */
  private describe(): string {
    const calls = this.calls.slice(-15).map((call) => `  ${call.method} ${call.path} -> ${call.status}`);
    return [
      `Client identified: ${this.identify ? 'yes' : 'no'}; shards connected: ${JSON.stringify(this.connectedShards())}`,
      `Unhandled: ${this.unhandled.length ? this.unhandled.join(', ') : 'none'}`,
      `Last REST calls (${this.calls.length} total):`,
      ...(calls.length ? calls : ['  none']),
    ].join('\n');
  }

  // ---------------------------------------------------------------- gateway

  private onGatewayConnection(socket: WebSocket, request: IncomingMessage): void {
    const session: GatewaySession = { socket, seq: 0, identified: false, shard: [0, 1], ready: false };
    this.sessions.add(session);
    socket.on('close', (code) => {
      this.sessions.delete(session);
      this.closeCodes.push(code);
    });

    const query = new URL(request.url ?? '/', this.gatewayUrl).searchParams;
    if (query.get('v') !== '10' || query.get('encoding') !== 'json' || query.has('compress')) {
      // ETF / zlib-stream are not implemented; fail loudly rather than send frames the client cannot read.
      this.unhandled.push(`gateway connection ${request.url}`);
      socket.close(4012, 'FakeDiscord supports only v=10&encoding=json without compression');
      return;
    }
    socket.on('message', (raw) => this.onGatewayMessage(session, JSON.parse(raw.toString()) as { op: number; d: unknown }));
    this.send(session, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.heartbeatIntervalMs } });
  }

  private onGatewayMessage(session: GatewaySession, payload: { op: number; d: unknown }): void {
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.heartbeats.push(performance.now());
        this.send(session, { op: GatewayOpcodes.HeartbeatAck });
        break;
      case GatewayOpcodes.Identify: {
        const identify = payload.d as GatewayIdentifyData;
        this.identifies.push(identify);
        const [id, count] = identify.shard ?? [0, 1];
        if (!Number.isInteger(id) || !Number.isInteger(count) || count < 1 || id < 0 || id >= count) {
          session.socket.close(4010, 'Invalid shard');
          break;
        }
        this.identify = identify;
        session.identified = true;
        session.shard = [id, count];
        const guildIds = [...this.guilds.keys()].filter((guildId) => this.owns(session, guildId));
        const delivered = () => {
          session.ready = true;
          this.readyDelivered = true;
          this.notify();
        };
        this.sendDispatch(session, GatewayDispatchEvents.Ready, this.readyPayload(session, guildIds), guildIds.length === 0 ? delivered : undefined);
        guildIds.forEach((guildId, i) =>
          this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, this.guildCreatePayload(guildId), i === guildIds.length - 1 ? delivered : undefined),
        );
        break;
      }
      case GatewayOpcodes.PresenceUpdate:
        break; // Nothing to answer; Discord only fans it out to other users.
      default:
        this.unhandled.push(`gateway op ${payload.op}`);
    }
  }

  private send(session: GatewaySession, payload: { op: GatewayOpcodes; d?: unknown }, onSent?: () => void): void {
    session.socket.send(JSON.stringify({ t: null, s: null, d: null, ...payload }), onSent);
  }

  private sendDispatch(session: GatewaySession, event: GatewayDispatchEvents, data: unknown, onSent?: () => void): void {
    session.seq += 1;
    session.socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, t: event, s: session.seq, d: data }), onSent);
  }

  /** Sends a guild's dispatch to every identified connection of the shard that owns the guild. */
  protected dispatch(event: GatewayDispatchEvents, data: unknown, guildId: Snowflake): void {
    for (const session of this.sessions) if (session.identified && this.owns(session, guildId)) this.sendDispatch(session, event, data);
  }

  private owns(session: GatewaySession, guildId: Snowflake): boolean {
    const [id, count] = session.shard;
    return shardOfGuild(guildId, count) === id;
  }

  private createGuild(guildId: Snowflake, channelId: Snowflake, name: string): void {
    this.guilds.set(guildId, { name, botRoleId: snowflake(), systemChannelId: channelId });
    this.channels.set(channelId, {
      id: channelId,
      type: ChannelType.GuildText,
      guild_id: guildId,
      name: 'general',
      position: 0,
      permission_overwrites: [],
      parent_id: null,
      nsfw: false,
      topic: null,
      last_message_id: null,
      last_pin_timestamp: null,
      rate_limit_per_user: 0,
      default_auto_archive_duration: ThreadAutoArchiveDuration.OneDay,
    });
  }

  /** The guild a channel (or thread) belongs to. */
  protected guildOf(channelId: Snowflake): Snowflake {
    return this.requireChannel(channelId).guild_id!;
  }

  private hasIntent(intent: GatewayIntentBits): boolean {
    return ((this.identify?.intents ?? 0) & intent) !== 0;
  }

  private readyPayload(session: GatewaySession, guildIds: Snowflake[]): GatewayReadyDispatchData {
    const flags = ApplicationFlags.GatewayMessageContentLimited | ApplicationFlags.ApplicationCommandBadge;
    return {
      v: 10,
      user: this.botUser,
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      session_id: randomBytes(16).toString('hex'),
      resume_gateway_url: this.gatewayUrl,
      shard: session.shard,
      application: { id: this.applicationId, flags, flags_new: String(flags) },
    };
  }

  private guildCreatePayload(guildId: Snowflake): GatewayGuildCreateDispatchData {
    const guild = this.guilds.get(guildId)!;
    const role = (id: Snowflake, name: string, permissions: bigint, position: number, botId?: Snowflake): APIRole => ({
      id,
      name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position,
      permissions: permissions.toString(),
      managed: botId !== undefined,
      mentionable: false,
      flags: 0 as RoleFlags,
      ...(botId && { tags: { bot_id: botId } }),
    });
    const channels = [...this.channels.values()].filter((channel) => channel.guild_id === guildId);
    return {
      id: guildId,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: this.user.id,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.Disabled,
      mfa_level: GuildMFALevel.None,
      nsfw_level: GuildNSFWLevel.Default,
      premium_tier: GuildPremiumTier.None,
      premium_progress_bar_enabled: false,
      system_channel_id: guild.systemChannelId,
      system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      application_id: null,
      preferred_locale: Locale.EnglishUS,
      hub_type: null,
      incidents_data: null,
      features: [],
      emojis: [],
      stickers: [],
      roles: [
        role(guildId, '@everyone', EVERYONE_PERMISSIONS, 0),
        role(guild.botRoleId, this.botUser.username, BOT_PERMISSIONS, 1, this.botUser.id),
      ],
      joined_at: now(),
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [
        { ...memberFields([guild.botRoleId]), user: this.botUser },
        { ...memberFields(), user: this.user },
      ],
      channels: channels.filter((channel): channel is APITextChannel => channel.type === ChannelType.GuildText),
      threads: channels.filter((channel): channel is APIThreadChannel => channel.type !== ChannelType.GuildText),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---------------------------------------------------------------- interactions

  /**
   * Registers an interaction about to be dispatched. `componentMessageId` marks a button click on that
   * message, `targetMessageId` a message context-menu command; anything else is a chat-input command.
   */
  private newInteraction(
    type: InteractionType,
    context: InteractionOptions & { componentMessageId?: Snowflake; targetMessageId?: Snowflake },
  ): InteractionState {
    if (![...this.sessions].some((session) => session.identified)) {
      throw new Error('FakeDiscord: no client has identified yet; await client.login() and fake.waitForReady() first');
    }
    const { componentMessageId, targetMessageId, channelId = this.channelId } = context;
    this.requireChannel(channelId);
    const id = snowflake();
    const base = { id, user: this.userFor(context.userId), authorizing_integration_owners: { 0: this.guildOf(channelId) } };
    const state: InteractionState = {
      id,
      // Real tokens are long URL-safe strings; they end up in webhook URLs.
      token: randomBytes(48).toString('base64url'),
      type,
      channelId,
      componentMessageId,
      acknowledged: false,
      permissions: context.permissions ?? EVERYONE_PERMISSIONS,
      ...(componentMessageId
        ? {
            messageType: MessageType.Default,
            metadata: { ...base, type: InteractionType.MessageComponent, interacted_message_id: componentMessageId },
          }
        : {
            messageType: targetMessageId ? MessageType.ContextMenuCommand : MessageType.ChatInputCommand,
            metadata: {
              ...base,
              type: InteractionType.ApplicationCommand,
              ...(targetMessageId && { target_message_id: targetMessageId }),
            },
          }),
    };
    this.interactions.set(state.token, state);
    return state;
  }

  /** Fields every guild interaction carries; discord.js reads most of them in BaseInteraction. */
  private interactionBase(state: InteractionState) {
    const channel = this.requireChannel(state.channelId);
    const { user } = state.metadata;
    const guildId = this.guildOf(channel.id);
    const member: APIInteractionGuildMember = { ...memberFields(), user, permissions: state.permissions.toString() };
    return {
      id: state.id,
      application_id: this.applicationId,
      token: state.token,
      version: 1 as const,
      guild_id: guildId,
      guild: { id: guildId, locale: Locale.EnglishUS, features: [] },
      channel: { ...channel, permissions: EVERYONE_PERMISSIONS.toString() },
      channel_id: channel.id,
      member,
      app_permissions: BOT_PERMISSIONS.toString(),
      locale: Locale.EnglishUS,
      guild_locale: Locale.EnglishUS,
      entitlements: [],
      authorizing_integration_owners: { 0: guildId },
      context: InteractionContextType.Guild,
      attachment_size_limit: 10 * 1024 * 1024,
    };
  }

  private dispatchInteraction(payload: { id: Snowflake; token: string; guild_id: Snowflake }): InteractionRef {
    this.dispatchedAt.set(payload.token, performance.now());
    this.dispatch(GatewayDispatchEvents.InteractionCreate, payload, payload.guild_id);
    return { id: payload.id, token: payload.token };
  }

  /** Command id/name (and guild_id for guild commands), matching what the bot registered if it did. */
  private commandRef(name: string): { id: Snowflake; name: string; guild_id?: Snowflake } {
    const registered = this.commands.get(name);
    return { id: registered?.id ?? snowflake(), name, ...(registered?.guildId && { guild_id: registered.guildId }) };
  }

  private resolvedAttachments(options: CommandOptionInput[]): { resolved?: { attachments: Record<Snowflake, APIAttachment> } } {
    const attachments = options
      .filter((option) => option.type === ApplicationCommandOptionType.Attachment)
      .map((option) => [...this.attachmentFiles.values()].find(({ attachment }) => attachment.id === String(option.value))?.attachment)
      .filter((attachment): attachment is APIAttachment => attachment !== undefined);
    return attachments.length > 0 ? { resolved: { attachments: Object.fromEntries(attachments.map((a) => [a.id, a])) } } : {};
  }

  private commandOptions(
    options: CommandOptionInput[],
    subcommand: string | undefined,
    focusedName?: string,
  ): APIApplicationCommandInteractionDataOption[] {
    const basic = options.map(
      ({ name, value, type = inferOptionType(value) }) =>
        ({ name, type, value, ...(name === focusedName && { focused: true }) }) as APIApplicationCommandInteractionDataBasicOption,
    );
    return subcommand ? [{ name: subcommand, type: ApplicationCommandOptionType.Subcommand, options: basic }] : basic;
  }

  private onInteractionCallback(interactionId: string, token: string, request: ParsedRequest): Reply {
    const interaction = this.interactions.get(token);
    if (!interaction || interaction.id !== interactionId) return discordError(404, ErrorCode.UnknownInteraction, 'Unknown interaction');
    if (interaction.acknowledged) {
      return discordError(400, ErrorCode.AlreadyAcknowledged, 'Interaction has already been acknowledged.');
    }
    const { type, data = {} } = request.body as { type: InteractionResponseType; data?: MessageBody };
    if (!ALLOWED_CALLBACKS[interaction.type]?.includes(type)) {
      this.unhandled.push(`interaction callback type ${type} for interaction type ${interaction.type}`);
      return discordError(400, ErrorCode.InvalidFormBody, `Callback type ${type} is not supported here`);
    }

    let message: StoredMessage | undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
        message = this.createInteractionMessage(interaction, data, request.files);
        interaction.originalMessageId = message.id;
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource:
        // Discord shows a "thinking…" message (Loading flag) that the later PATCH @original fills in.
        message = this.createInteractionMessage(interaction, { flags: (data.flags ?? 0) | MessageFlags.Loading }, []);
        interaction.originalMessageId = message.id;
        break;
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage:
        interaction.originalMessageId = interaction.componentMessageId;
        message = this.messages.get(interaction.componentMessageId ?? '');
        if (message && type === InteractionResponseType.UpdateMessage) applyEdit(message, data, request.files);
        break;
    }
    interaction.acknowledged = true;

    if (request.query.with_response !== 'true') return noContent;
    return ok({
      interaction: {
        id: interaction.id,
        type: interaction.type,
        response_message_id: message?.id,
        response_message_loading: message ? hasFlag(message, MessageFlags.Loading) : undefined,
        response_message_ephemeral: message ? hasFlag(message, MessageFlags.Ephemeral) : undefined,
      },
      resource: { type, ...(message && { message }) },
    });
  }

  private createInteractionMessage(interaction: InteractionState, body: MessageBody, files: UploadedFile[]): StoredMessage {
    return this.createMessage(interaction.channelId, {
      ...messageFields(body, files),
      type: interaction.messageType,
      webhook_id: this.applicationId,
      application_id: this.applicationId,
      interaction_metadata: interaction.metadata,
    });
  }

  /** The interaction behind a webhook route, if it may be used (Discord: Unknown Webhook otherwise). */
  private webhookInteraction(applicationId: string, token: string): InteractionState | undefined {
    const interaction = this.interactions.get(token);
    return applicationId === this.applicationId && interaction?.acknowledged ? interaction : undefined;
  }

  private webhookMessage(params: { applicationId: string; token: string; messageId: string }): StoredMessage | Reply {
    const interaction = this.webhookInteraction(params.applicationId, params.token);
    if (!interaction) return discordError(404, ErrorCode.UnknownWebhook, 'Unknown Webhook');
    const id = params.messageId === '@original' ? interaction.originalMessageId : params.messageId;
    return this.messages.get(id ?? '') ?? discordError(404, ErrorCode.UnknownMessage, 'Unknown Message');
  }

  // ---------------------------------------------------------------- messages and channels

  protected userFor(id: Snowflake | undefined): APIUser {
    if (id === undefined) return this.user;
    let user = this.users.get(id);
    if (!user) {
      user = { id, username: `user${id.slice(-4)}`, global_name: `User ${id.slice(-4)}`, discriminator: '0', avatar: null };
      this.users.set(id, user);
    }
    return user;
  }

  protected requireChannel(channelId: Snowflake): FakeChannel {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`FakeDiscord: unknown channel ${channelId} (known: ${[...this.channels.keys()].join(', ')})`);
    return channel;
  }

  /** Stores a new message and, unless it is ephemeral, delivers it as MESSAGE_CREATE like Discord does. */
  protected createMessage(channelId: Snowflake, fields: Partial<APIMessage>): StoredMessage {
    const message: StoredMessage = {
      id: snowflake(),
      channel_id: channelId,
      guild_id: this.guildOf(channelId),
      author: this.botUser,
      content: '',
      timestamp: now(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: MessageType.Default,
      flags: 0 as MessageFlags,
      ...fields,
    };
    this.messages.set(message.id, message);
    if (hasFlag(message, MessageFlags.Ephemeral)) return message;

    this.requireChannel(channelId).last_message_id = message.id;
    if (this.hasIntent(GatewayIntentBits.GuildMessages)) {
      this.dispatch(GatewayDispatchEvents.MessageCreate, { ...this.asSeenByBot(message), member: memberFields() }, message.guild_id);
    }
    return message;
  }

  /** Without the MessageContent intent Discord blanks content, except in messages that mention the bot and its own. */
  private asSeenByBot(message: StoredMessage): StoredMessage {
    const readable =
      this.hasIntent(GatewayIntentBits.MessageContent) ||
      message.author.id === this.botUser.id ||
      message.mentions.some((user) => user.id === this.botUser.id);
    return readable ? message : { ...message, content: '', embeds: [], attachments: [], components: [] };
  }

  /** Channel history, newest first, honouring `limit` (default 50) and `before`/`after`. */
  private history(channelId: Snowflake, query: Record<string, string>): StoredMessage[] {
    const before = query.before ? BigInt(query.before) : undefined;
    const after = query.after ? BigInt(query.after) : undefined;
    return [...this.messages.values()]
      .filter((message) => message.channel_id === channelId && !hasFlag(message, MessageFlags.Ephemeral))
      .filter((message) => (before === undefined || BigInt(message.id) < before) && (after === undefined || BigInt(message.id) > after))
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
      .slice(0, Math.min(Number(query.limit ?? 50), 100))
      .map((message) => this.asSeenByBot(message));
  }

  /** Creates a thread (type from the request, public by default) and announces it with THREAD_CREATE. */
  private createThread(
    parent: FakeChannel,
    body: { name?: string; type?: ChannelType; auto_archive_duration?: ThreadAutoArchiveDuration },
    id = snowflake(),
  ): APIThreadChannel {
    const thread: APIThreadChannel = {
      id,
      type: (body.type ?? ChannelType.PublicThread) as APIThreadChannel['type'],
      guild_id: parent.guild_id!,
      parent_id: parent.id,
      owner_id: this.botUser.id,
      name: body.name ?? 'thread',
      last_message_id: null,
      last_pin_timestamp: null,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        locked: false,
        auto_archive_duration: body.auto_archive_duration ?? ThreadAutoArchiveDuration.OneDay,
        archive_timestamp: now(),
        create_timestamp: now(),
      },
      member: { id, user_id: this.botUser.id, join_timestamp: now(), flags: 0 as ThreadMemberFlags },
    };
    this.channels.set(id, thread);
    this.dispatch(GatewayDispatchEvents.ThreadCreate, { ...thread, newly_created: true }, thread.guild_id!);
    return thread;
  }

  // ---------------------------------------------------------------- REST

  private async onHttpRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiUrl);
    if (url.pathname.startsWith('/attachments/')) return this.serveAttachment(req, res, url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { body, files } = await parseBody(Buffer.concat(chunks), req.headers['content-type']);
    const request: ParsedRequest = {
      method: req.method ?? 'GET',
      // discord.js percent-encodes segments such as `@original`; record them as Discord documents them.
      path: decodeURIComponent(url.pathname).replace(/^\/api\/v10(?=\/)/, ''),
      query: Object.fromEntries(url.searchParams),
      body,
      files,
      authorized: Boolean(req.headers.authorization),
    };

    let reply: Reply;
    try {
      reply = this.respond(request, url.pathname.startsWith('/api/v10/'));
    } catch (error) {
      // A bug in the fake must show up in the test, not leave the client waiting for an answer.
      this.unhandled.push(`${request.method} ${request.path} threw ${String(error)}`);
      reply = discordError(500, 0, String(error));
    }
    this.calls.push({ ...request, status: reply.status, response: reply.body, at: performance.now() });
    this.notify();

    res.writeHead(reply.status, reply.body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  }

  /** The CDN: attachment bytes by URL, like cdn.discordapp.com (no authorization needed). */
  private serveAttachment(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const file = this.attachmentFiles.get(url.pathname);
    const status = file ? 200 : 404;
    this.calls.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body: undefined, files: [], status, response: undefined, at: performance.now() });
    this.notify();
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': file.attachment.content_type ?? 'application/octet-stream', 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
  }

  private respond(request: ParsedRequest, versioned: boolean): Reply {
    if (versioned) {
      for (const route of this.routes) {
        const match = route.method === request.method ? route.pattern.exec(request.path) : null;
        if (match) return route.handle(match.slice(1), request);
      }
    }
    this.unhandled.push(`${request.method} ${request.path}`);
    return discordError(404, 0, '404: Not Found');
  }

  /**
   * Registers a handler; `:name` segments become typed params. Routes without `:token` need the
   * bot's Authorization header (interaction callbacks and webhooks are sent without one).
   */
  private addRoute<Path extends string>(method: string, path: Path, handler: (params: Record<ParamNames<Path>, string>, request: ParsedRequest) => Reply): void {
    const names = [...path.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
    const pattern = new RegExp(`^${path.replace(/:\w+/g, '([^/]+)')}$`);
    this.routes.push({
      method,
      pattern,
      handle: (values, request) => {
        if (!names.includes('token') && !request.authorized) return discordError(401, 0, '401: Unauthorized');
        return handler(Object.fromEntries(names.map((name, i) => [name, values[i]])) as Record<ParamNames<Path>, string>, request);
      },
    });
  }

  private registerRoutes(): void {
    this.addRoute('GET', '/gateway/bot', () =>
      ok({
        url: this.gatewayUrl,
        shards: this.recommendedShards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      }),
    );
    this.addRoute('GET', '/users/@me', () => ok(this.botUser));
    this.addRoute('GET', '/applications/@me', () =>
      ok({
        id: this.applicationId,
        name: this.botUser.username,
        icon: null,
        description: '',
        summary: '',
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: randomBytes(32).toString('hex'),
        flags: ApplicationFlags.GatewayMessageContentLimited | ApplicationFlags.ApplicationCommandBadge,
        bot: this.botUser,
        owner: this.user,
        team: null,
      }),
    );
    this.addRoute('PUT', '/applications/:applicationId/commands', (_params, request) => ok(this.registerCommands(request.body)));
    this.addRoute('PUT', '/applications/:applicationId/guilds/:guildId/commands', ({ guildId }, request) =>
      ok(this.registerCommands(request.body, guildId)),
    );

    this.addRoute('POST', '/interactions/:interactionId/:token/callback', ({ interactionId, token }, request) =>
      this.onInteractionCallback(interactionId, token, request),
    );
    this.addRoute('POST', '/webhooks/:applicationId/:token', ({ applicationId, token }, request) => {
      const interaction = this.webhookInteraction(applicationId, token);
      if (!interaction) return discordError(404, ErrorCode.UnknownWebhook, 'Unknown Webhook');
      const message = this.createInteractionMessage(interaction, request.body as MessageBody, request.files);
      return request.query.wait === 'true' ? ok(message) : noContent;
    });
    this.addRoute('GET', '/webhooks/:applicationId/:token/messages/:messageId', (params) => {
      const message = this.webhookMessage(params);
      return 'status' in message ? message : ok(message);
    });
    this.addRoute('PATCH', '/webhooks/:applicationId/:token/messages/:messageId', (params, request) => {
      const message = this.webhookMessage(params);
      if ('status' in message) return message;
      applyEdit(message, request.body as MessageBody, request.files);
      return ok(message);
    });
    this.addRoute('DELETE', '/webhooks/:applicationId/:token/messages/:messageId', (params) => {
      const message = this.webhookMessage(params);
      if ('status' in message) return message;
      this.messages.delete(message.id);
      return noContent;
    });

    this.addRoute('GET', '/channels/:channelId', ({ channelId }) => {
      const channel = this.channels.get(channelId);
      return channel ? ok(channel) : discordError(404, ErrorCode.UnknownChannel, 'Unknown Channel');
    });
    this.addRoute('POST', '/channels/:channelId/typing', ({ channelId }) =>
      this.channels.has(channelId) ? noContent : discordError(404, ErrorCode.UnknownChannel, 'Unknown Channel'),
    );
    this.addRoute('GET', '/channels/:channelId/messages', ({ channelId }, request) =>
      this.channels.has(channelId) ? ok(this.history(channelId, request.query)) : discordError(404, ErrorCode.UnknownChannel, 'Unknown Channel'),
    );
    this.addRoute('POST', '/channels/:channelId/messages', ({ channelId }, request) => this.postChannelMessage(channelId, request));
    this.addRoute('GET', '/channels/:channelId/messages/:messageId', ({ channelId, messageId }) => {
      const message = this.messages.get(messageId);
      return message?.channel_id === channelId ? ok(this.asSeenByBot(message)) : discordError(404, ErrorCode.UnknownMessage, 'Unknown Message');
    });
    this.addRoute('POST', '/channels/:channelId/threads', ({ channelId }, request) => {
      const parent = this.channels.get(channelId);
      if (!parent) return discordError(404, ErrorCode.UnknownChannel, 'Unknown Channel');
      return { status: 201, body: this.createThread(parent, request.body as object) };
    });
    this.addRoute('POST', '/channels/:channelId/messages/:messageId/threads', ({ channelId, messageId }, request) => {
      const parent = this.channels.get(channelId);
      const starter = this.messages.get(messageId);
      if (!parent) return discordError(404, ErrorCode.UnknownChannel, 'Unknown Channel');
      if (starter?.channel_id !== channelId) return discordError(404, ErrorCode.UnknownMessage, 'Unknown Message');
      if (starter.thread) return discordError(400, ErrorCode.ThreadAlreadyCreated, 'A thread has already been created for this message');
      // Discord gives a thread started from a message the message's id.
      const thread = this.createThread(parent, { ...(request.body as object), type: ChannelType.PublicThread }, messageId);
      starter.thread = thread;
      starter.flags = (starter.flags ?? 0) | MessageFlags.HasThread;
      return { status: 201, body: thread };
    });
  }

  protected postChannelMessage(channelId: Snowflake, request: ParsedRequest): Reply {
    if (!this.channels.has(channelId)) return discordError(404, ErrorCode.UnknownChannel, 'Unknown Channel');
    const body = request.body as MessageBody;
    const reference = body.message_reference;
    const referenced = reference && this.messages.get(reference.message_id);
    if (reference && !referenced && reference.fail_if_not_exists !== false) {
      return discordError(400, ErrorCode.InvalidFormBody, 'Invalid Form Body (message_reference: Unknown message)');
    }
    const message = this.createMessage(channelId, {
      ...messageFields(body, request.files),
      ...(reference && {
        type: MessageType.Reply,
        message_reference: { type: MessageReferenceType.Default, message_id: reference.message_id, channel_id: channelId, guild_id: this.guildOf(channelId) },
        referenced_message: referenced ?? null,
      }),
    });
    return ok(message);
  }

  /** Bulk overwrite: echoes the commands with ids, keeping the id of a command that already existed. */
  private registerCommands(body: unknown, guildId?: Snowflake): unknown[] {
    return (body as { name: string; type?: ApplicationCommandType }[]).map((command) => {
      const id = this.commands.get(command.name)?.id ?? snowflake();
      this.commands.set(command.name, { id, guildId });
      return {
        type: ApplicationCommandType.ChatInput,
        description: '',
        options: [],
        default_member_permissions: null,
        nsfw: false,
        ...command,
        id,
        application_id: this.applicationId,
        version: snowflake(),
        ...(guildId && { guild_id: guildId }),
      };
    });
  }
}

// ---------------------------------------------------------------- helpers

function inferOptionType(value: string | number | boolean): ApplicationCommandOptionType {
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

function hasFlag(message: APIMessage, flag: MessageFlags): boolean {
  return ((message.flags ?? 0) & flag) !== 0;
}

/** custom_ids of all buttons on a message, through action rows and other containers. */
function buttonCustomIds(components: readonly unknown[]): string[] {
  return components.flatMap((component) => {
    const { type, custom_id: customId, components: children } = component as {
      type: ComponentType;
      custom_id?: string;
      components?: unknown[];
    };
    const own = type === ComponentType.Button && customId ? [customId] : [];
    return [...own, ...buttonCustomIds(children ?? [])];
  });
}

function toAttachment(file: UploadedFile): APIAttachment {
  const id = snowflake();
  const url = `https://cdn.discordapp.com/attachments/0/${id}/${encodeURIComponent(file.name)}`;
  return { id, filename: file.name, size: file.size, url, proxy_url: url, content_type: file.contentType };
}

/** The message fields a create request sets; Discord fills in `type: 'rich'` on embeds. */
function messageFields(body: MessageBody, files: UploadedFile[]): Partial<APIMessage> {
  return {
    content: body.content ?? '',
    embeds: (body.embeds ?? []).map((embed) => ({ type: EmbedType.Rich, ...embed })),
    components: body.components ?? [],
    flags: body.flags ?? 0,
    tts: body.tts ?? false,
    attachments: files.map(toAttachment),
  };
}

/** Applies an edit in place: given fields replace, omitted ones stay; the "thinking…" state ends. */
function applyEdit(message: APIMessage, body: MessageBody, files: UploadedFile[]): void {
  const wasLoading = hasFlag(message, MessageFlags.Loading);
  if (body.content !== undefined) message.content = body.content;
  if (body.embeds !== undefined) message.embeds = body.embeds.map((embed) => ({ type: EmbedType.Rich, ...embed }));
  if (body.components !== undefined) message.components = body.components;
  const kept = body.attachments
    ? message.attachments.filter((attachment) => body.attachments?.some(({ id }) => String(id) === attachment.id))
    : message.attachments;
  message.attachments = [...kept, ...files.map(toAttachment)];
  message.flags = (message.flags ?? 0) & ~MessageFlags.Loading;
  message.edited_timestamp = wasLoading ? null : now();
}

/** JSON bodies, and multipart bodies (discord.js sends those with files) via the fetch API's parser. */
async function parseBody(raw: Buffer, contentType: string | undefined): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (!contentType?.startsWith('multipart/form-data')) return { body: JSON.parse(raw.toString('utf8')), files: [] };

  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  const files: UploadedFile[] = [];
  let body: unknown;
  for (const [field, value] of form) {
    if (typeof value === 'string') {
      if (field === 'payload_json') body = JSON.parse(value);
    } else {
      files.push({ field, name: value.name, size: value.size, contentType: value.type });
    }
  }
  return { body, files };
}
