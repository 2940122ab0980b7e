/** The guild the fake Discord describes to the bot: permissions, members, GUILD_CREATE. */
import {
  type APIGuildMember,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  PermissionFlagsBits,
  type RoleFlags,
  type Snowflake,
} from 'discord.js';
import { type FakeChannel, now } from './fake-discord-model.js';

export const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands;
export const BOT_PERMISSIONS = EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageMessages | PermissionFlagsBits.ManageThreads;

/** A guild member without its `user`, as MESSAGE_CREATE carries it; add `user` elsewhere. */
export function memberFields(roles: Snowflake[] = []): Omit<APIGuildMember, 'user'> {
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

/** What the fake knows of a guild the bot is in: its name, the bot's role there, its system channel. */
export interface GuildEntry {
  name: string;
  botRoleId: Snowflake;
  systemChannelId: Snowflake;
}

/** GUILD_CREATE for one guild: its two roles, the bot and the default user as members, its channels and threads. */
export function guildCreateData(
  guildId: Snowflake,
  guild: GuildEntry,
  channels: FakeChannel[],
  botUser: APIUser,
  owner: APIUser,
): GatewayGuildCreateDispatchData {
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
  return {
    id: guildId,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: owner.id,
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
    roles: [role(guildId, '@everyone', EVERYONE_PERMISSIONS, 0), role(guild.botRoleId, botUser.username, BOT_PERMISSIONS, 1, botUser.id)],
    joined_at: now(),
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [
      { ...memberFields([guild.botRoleId]), user: botUser },
      { ...memberFields(), user: owner },
    ],
    channels: channels.filter((channel): channel is APITextChannel => channel.type === ChannelType.GuildText),
    threads: channels.filter((channel): channel is APIThreadChannel => channel.type !== ChannelType.GuildText),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
