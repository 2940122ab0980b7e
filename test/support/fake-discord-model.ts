/** The fake Discord's shapes (what it records, stores and answers) and the helpers every part of it uses. */

import {
  type APIAttachment,
  type APIEmbed,
  type APIMessage,
  type APIMessageInteractionMetadata,
  type APIMessageTopLevelComponent,
  type APITextChannel,
  type APIThreadChannel,
  ApplicationCommandOptionType,
  ComponentType,
  EmbedType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type MessageType,
  type Snowflake,
} from 'discord.js';
import type { WebSocket } from 'ws';

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
export type StoredMessage = APIMessage & { guild_id: Snowflake };
export type FakeChannel = APITextChannel | APIThreadChannel;

/** The message fields discord.js sends when creating or editing messages. */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  tts?: boolean;
  attachments?: { id: Snowflake | number }[];
  message_reference?: { message_id: Snowflake; channel_id?: Snowflake; fail_if_not_exists?: boolean };
}

export interface InteractionState {
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

export interface Waiter {
  check(): void;
  fail(error: Error): void;
}

export interface GatewaySession {
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

export const now = (): string => new Date().toISOString();

/** Discord JSON error codes the fake answers with. */
export const ErrorCode = {
  UnknownChannel: 10003,
  UnknownMessage: 10008,
  UnknownWebhook: 10015,
  UnknownInteraction: 10062,
  AlreadyAcknowledged: 40060,
  InvalidFormBody: 50035,
  ThreadAlreadyCreated: 160004,
} as const;

/** Which callback types Discord accepts for each kind of interaction the fake can send. */
export const ALLOWED_CALLBACKS: Partial<Record<InteractionType, InteractionResponseType[]>> = {
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

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const noContent: Reply = { status: 204 };
export const discordError = (status: number, code: number, message: string): Reply => ({ status, body: { message, code } });

/** `'/channels/:channelId/messages'` → `'channelId'`, so route handlers get typed params. */
export type ParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;

export interface Route {
  method: string;
  pattern: RegExp;
  handle(values: string[], request: ParsedRequest): Reply;
}

export function inferOptionType(value: string | number | boolean): ApplicationCommandOptionType {
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

export function hasFlag(message: APIMessage, flag: MessageFlags): boolean {
  return ((message.flags ?? 0) & flag) !== 0;
}

/** custom_ids of all buttons on a message, through action rows and other containers. */
export function buttonCustomIds(components: readonly unknown[]): string[] {
  return components.flatMap((component) => {
    const {
      type,
      custom_id: customId,
      components: children,
    } = component as {
      type: ComponentType;
      custom_id?: string;
      components?: unknown[];
    };
    const own = type === ComponentType.Button && customId ? [customId] : [];
    return [...own, ...buttonCustomIds(children ?? [])];
  });
}

export function toAttachment(file: UploadedFile): APIAttachment {
  const id = snowflake();
  const url = `https://cdn.discordapp.com/attachments/0/${id}/${encodeURIComponent(file.name)}`;
  return { id, filename: file.name, size: file.size, url, proxy_url: url, content_type: file.contentType };
}

/** The message fields a create request sets; Discord fills in `type: 'rich'` on embeds. */
export function messageFields(body: MessageBody, files: UploadedFile[]): Partial<APIMessage> {
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
export function applyEdit(message: APIMessage, body: MessageBody, files: UploadedFile[]): void {
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
export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<{ body: unknown; files: UploadedFile[] }> {
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
