import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIUser,
  ApplicationFlags,
  ChannelType,
  GatewayDispatchEvents,
  type GatewayGuildCreateDispatchData,
  type GatewayIdentifyData,
  type GatewayIntentBits,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
  type Snowflake,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import { type WebSocket, WebSocketServer } from 'ws';
import { type GuildEntry, guildCreateData } from './fake-discord-guild.js';
import {
  type FakeChannel,
  type FakeDiscordOptions,
  type GatewaySession,
  type RecordedCall,
  type StoredMessage,
  shardOfGuild,
  snowflake,
  type Waiter,
} from './fake-discord-model.js';

/**
 * The gateway half of the fake Discord: the HTTP server both halves share, the WebSocket gateway
 * (HELLO, IDENTIFY with shards, READY, GUILD_CREATE, heartbeats, dispatches to the shard that owns a
 * guild), the state every part reads, and waiting for it. REST is in fake-discord-rest.ts.
 *
 * size: 322 lines, the gateway's state and protocol in one class; the parts built on it are in other files.
 */
export abstract class FakeGateway {
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
  /** Every guild the bot is in, with the id of the bot's role there. */
  protected readonly guilds = new Map<Snowflake, GuildEntry>();
  protected readonly sessions = new Set<GatewaySession>();
  protected readonly waiters = new Set<Waiter>();
  protected readonly server = createServer((req, res) => void this.onHttpRequest(req, res));
  protected readonly gateway = new WebSocketServer({ server: this.server });
  protected readonly heartbeatIntervalMs: number;
  protected readonly recommendedShards: number;
  protected port = 0;
  protected readyDelivered = false;
  protected closed = false;

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
  }

  /** Starts listening on a free port of 127.0.0.1. */
  protected async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', resolve);
    });
    this.port = (this.server.address() as AddressInfo).port;
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

  /** The first recorded call, past or future, that matches. */
  waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs = 20_000): Promise<RecordedCall> {
    return this.waitFor(`a REST call matching ${predicate.toString()}`, () => this.calls.find(predicate), timeoutMs);
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

  /** Answers a REST (or CDN) request; the REST half implements it. */
  protected abstract onHttpRequest(req: IncomingMessage, res: ServerResponse): Promise<void>;

  // ---------------------------------------------------------------- waiting

  protected waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
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

  protected notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  /** State summary for timeout messages. */
  protected describe(): string {
    const calls = this.calls.slice(-15).map((call) => `  ${call.method} ${call.path} -> ${call.status}`);
    return [
      `Client identified: ${this.identify ? 'yes' : 'no'}; shards connected: ${JSON.stringify(this.connectedShards())}`,
      `Unhandled: ${this.unhandled.length ? this.unhandled.join(', ') : 'none'}`,
      `Last REST calls (${this.calls.length} total):`,
      ...(calls.length ? calls : ['  none']),
    ].join('\n');
  }

  // ---------------------------------------------------------------- gateway

  protected onGatewayConnection(socket: WebSocket, request: IncomingMessage): void {
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

  protected onGatewayMessage(session: GatewaySession, payload: { op: number; d: unknown }): void {
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
        this.sendDispatch(
          session,
          GatewayDispatchEvents.Ready,
          this.readyPayload(session, guildIds),
          guildIds.length === 0 ? delivered : undefined,
        );
        guildIds.forEach((guildId, i) =>
          this.sendDispatch(
            session,
            GatewayDispatchEvents.GuildCreate,
            this.guildCreatePayload(guildId),
            i === guildIds.length - 1 ? delivered : undefined,
          ),
        );
        break;
      }
      case GatewayOpcodes.PresenceUpdate:
        break; // Nothing to answer; Discord only fans it out to other users.
      default:
        this.unhandled.push(`gateway op ${payload.op}`);
    }
  }

  protected send(session: GatewaySession, payload: { op: GatewayOpcodes; d?: unknown }, onSent?: () => void): void {
    session.socket.send(JSON.stringify({ t: null, s: null, d: null, ...payload }), onSent);
  }

  protected sendDispatch(session: GatewaySession, event: GatewayDispatchEvents, data: unknown, onSent?: () => void): void {
    session.seq += 1;
    session.socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, t: event, s: session.seq, d: data }), onSent);
  }

  /** Sends a guild's dispatch to every identified connection of the shard that owns the guild. */
  protected dispatch(event: GatewayDispatchEvents, data: unknown, guildId: Snowflake): void {
    for (const session of this.sessions) if (session.identified && this.owns(session, guildId)) this.sendDispatch(session, event, data);
  }

  protected owns(session: GatewaySession, guildId: Snowflake): boolean {
    const [id, count] = session.shard;
    return shardOfGuild(guildId, count) === id;
  }

  protected createGuild(guildId: Snowflake, channelId: Snowflake, name: string): void {
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

  protected hasIntent(intent: GatewayIntentBits): boolean {
    return ((this.identify?.intents ?? 0) & intent) !== 0;
  }

  protected readyPayload(session: GatewaySession, guildIds: Snowflake[]): GatewayReadyDispatchData {
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

  protected guildCreatePayload(guildId: Snowflake): GatewayGuildCreateDispatchData {
    const channels = [...this.channels.values()].filter((channel) => channel.guild_id === guildId);
    return guildCreateData(guildId, this.guilds.get(guildId)!, channels, this.botUser, this.user);
  }
}
