import {
  type APIMessage,
  type APIThreadChannel,
  type APIUser,
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  MessageFlags,
  MessageType,
  type Snowflake,
  ThreadAutoArchiveDuration,
  type ThreadMemberFlags,
} from 'discord.js';
import { FakeGateway } from './fake-discord-gateway.js';
import { memberFields } from './fake-discord-guild.js';
import { type FakeChannel, hasFlag, now, type StoredMessage, snowflake } from './fake-discord-model.js';

/** Messages, channels and threads of the fake Discord, as the gateway delivers them. */
export abstract class FakeChannels extends FakeGateway {
  /** The guild a channel (or thread) belongs to. */
  protected guildOf(channelId: Snowflake): Snowflake {
    return this.requireChannel(channelId).guild_id!;
  }

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
  protected asSeenByBot(message: StoredMessage): StoredMessage {
    const readable =
      this.hasIntent(GatewayIntentBits.MessageContent) ||
      message.author.id === this.botUser.id ||
      message.mentions.some((user) => user.id === this.botUser.id);
    return readable ? message : { ...message, content: '', embeds: [], attachments: [], components: [] };
  }

  /** Channel history, newest first, honouring `limit` (default 50) and `before`/`after`. */
  protected history(channelId: Snowflake, query: Record<string, string>): StoredMessage[] {
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
  protected createThread(
    parent: FakeChannel,
    body: { name?: string; type?: ChannelType; auto_archive_duration?: ThreadAutoArchiveDuration },
    id = snowflake(),
    /** Who started it (the bot, unless a user's forum post) and its last message (a forum post's first). */
    { ownerId = this.botUser.id, lastMessageId = null }: { ownerId?: Snowflake; lastMessageId?: Snowflake | null } = {},
  ): APIThreadChannel {
    const thread: APIThreadChannel = {
      id,
      type: (body.type ?? ChannelType.PublicThread) as APIThreadChannel['type'],
      guild_id: parent.guild_id!,
      parent_id: parent.id,
      owner_id: ownerId,
      name: body.name ?? 'thread',
      last_message_id: lastMessageId,
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
      member: { id, user_id: ownerId, join_timestamp: now(), flags: 0 as ThreadMemberFlags },
    };
    this.channels.set(id, thread);
    this.dispatch(GatewayDispatchEvents.ThreadCreate, { ...thread, newly_created: true }, thread.guild_id!);
    return thread;
  }
}
