import {
  type APIGuildForumChannel,
  type APIMessage,
  type APITextChannel,
  ChannelType,
  GatewayDispatchEvents,
  MessageType,
  OverwriteType,
  PermissionFlagsBits,
  type Snowflake,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import { FakeDiscord, type FakeDiscordOptions, type ParsedRequest, type Reply, snowflake } from './fake-discord.js';

/**
 * What the community features need from the fake Discord, kept out of the main fake: more channels
 * (text and forum), forum posts, other bots' messages, and an admin taking the bot's access to a
 * channel away or deleting it (CHANNEL_UPDATE / CHANNEL_DELETE; posting there then fails with 50001).
 */
export class FakeCommunityDiscord extends FakeDiscord {
  /** Channels the bot may no longer see. */
  readonly revoked = new Set<Snowflake>();

  static override async start(options: FakeDiscordOptions = {}): Promise<FakeCommunityDiscord> {
    return (await super.start(options)) as FakeCommunityDiscord;
  }

  /** A new text or forum channel in the main guild, announced with CHANNEL_CREATE. */
  addChannel(
    type: ChannelType.GuildText | ChannelType.GuildForum,
    name = type === ChannelType.GuildForum ? 'questions' : 'chat',
  ): Snowflake {
    const id = snowflake();
    const base = {
      id,
      guild_id: this.guildId,
      name,
      position: this.channels.size,
      permission_overwrites: [],
      parent_id: null,
      nsfw: false,
      topic: null,
      rate_limit_per_user: 0,
    };
    const channel =
      type === ChannelType.GuildForum
        ? ({
            ...base,
            type,
            last_message_id: null,
            available_tags: [],
            default_reaction_emoji: null,
            default_thread_rate_limit_per_user: 0,
            default_sort_order: null,
            default_forum_layout: 0,
            default_auto_archive_duration: ThreadAutoArchiveDuration.OneDay,
            flags: 0,
          } as unknown as APIGuildForumChannel)
        : ({
            ...base,
            type,
            last_message_id: null,
            last_pin_timestamp: null,
            default_auto_archive_duration: ThreadAutoArchiveDuration.OneDay,
          } as APITextChannel);
    this.channels.set(id, channel as unknown as APITextChannel);
    this.dispatch(GatewayDispatchEvents.ChannelCreate, channel, this.guildId);
    return id;
  }

  /** A user opens a forum post: THREAD_CREATE, then its first message, whose id is the post's id (as in Discord). */
  forumPost(
    forumId: Snowflake,
    { title, content, authorId }: { title: string; content: string; authorId?: Snowflake },
  ): { threadId: Snowflake; message: APIMessage } {
    const forum = this.requireChannel(forumId);
    const author = this.userFor(authorId);
    const id = snowflake();
    // The post's first message has the thread's id (as Discord's forum posts do).
    this.createThread(forum, { name: title, type: ChannelType.PublicThread }, id, { ownerId: author.id, lastMessageId: id });
    const message = this.createMessage(id, { id, author, content, type: MessageType.Default });
    return { threadId: id, message };
  }

  /** A message by another bot (a webhook-less bot user), which the bot must never answer. */
  otherBotMessage(content: string, channelId: Snowflake = this.channelId): APIMessage {
    const author = { ...this.userFor(snowflake()), bot: true };
    this.users.set(author.id, author);
    return this.createMessage(channelId, { author, content });
  }

  /** Delivers a message's MESSAGE_CREATE again, as Discord may after a resumed session. */
  redeliver(message: APIMessage): void {
    this.dispatch(GatewayDispatchEvents.MessageCreate, this.messages.get(message.id) ?? message, this.guildOf(message.channel_id));
  }

  /** An admin denies the bot View Channel there: CHANNEL_UPDATE with the overwrite; posting there now fails with 50001. */
  revokeAccess(channelId: Snowflake): void {
    const channel = this.requireChannel(channelId) as APITextChannel;
    channel.permission_overwrites = [
      ...(channel.permission_overwrites ?? []),
      {
        id: this.botUser.id,
        type: OverwriteType.Member,
        allow: '0',
        deny: (PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages).toString(),
      },
    ];
    this.revoked.add(channelId);
    this.dispatch(GatewayDispatchEvents.ChannelUpdate, channel, this.guildOf(channelId));
  }

  /** The channel is deleted: CHANNEL_DELETE. */
  deleteChannel(channelId: Snowflake): void {
    const channel = this.requireChannel(channelId);
    const guildId = this.guildOf(channelId);
    this.channels.delete(channelId);
    this.dispatch(GatewayDispatchEvents.ChannelDelete, channel, guildId);
  }

  protected override postChannelMessage(channelId: Snowflake, request: ParsedRequest): Reply {
    if (this.revoked.has(channelId)) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    return super.postChannelMessage(channelId, request);
  }
}
