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
 *
 * In parts, by concern: the gateway (fake-discord-gateway.ts), messages and channels
 * (fake-discord-channels.ts), REST routes and webhooks (fake-discord-rest.ts), the CDN (fake-discord-cdn.ts),
 * the guild it describes (fake-discord-guild.ts) and the shapes they share (fake-discord-model.ts); this
 * file is what a test drives: interactions, user messages, guilds, attachments.
 */
import { randomBytes } from 'node:crypto';
import {
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageApplicationCommandGuildInteraction,
  type APIMessageComponentGuildInteraction,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageReferenceType,
  MessageType,
  type Snowflake,
} from 'discord.js';
import { BOT_PERMISSIONS, EVERYONE_PERMISSIONS, memberFields } from './fake-discord-guild.js';
import {
  buttonCustomIds,
  type CommandOptionInput,
  type FakeDiscordOptions,
  type GuildRef,
  type InteractionOptions,
  type InteractionRef,
  type InteractionState,
  inferOptionType,
  type RecordedCall,
  snowflake,
  type UserMessageOptions,
} from './fake-discord-model.js';
import { FakeRest } from './fake-discord-rest.js';

export {
  type CommandOptionInput,
  type FakeDiscordOptions,
  type GuildRef,
  type InteractionOptions,
  type InteractionRef,
  type ParsedRequest,
  type RecordedCall,
  type Reply,
  shardOfGuild,
  snowflake,
  type UploadedFile,
  type UserMessageOptions,
} from './fake-discord-model.js';

export class FakeDiscord extends FakeRest {
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new this(options);
    await fake.listen();
    return fake;
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
      if (session.identified && this.owns(session, guildId))
        this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, this.guildCreatePayload(guildId));
    }
    return { guildId, channelId };
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
    return this.cdn.add(`http://127.0.0.1:${this.port}`, this.channelId, filename, data, fields);
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

  // ---------------------------------------------------------------- interactions

  /**
   * Registers an interaction about to be dispatched. `componentMessageId` marks a button click on that
   * message, `targetMessageId` a message context-menu command; anything else is a chat-input command.
   */
  protected newInteraction(
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
  protected interactionBase(state: InteractionState) {
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

  protected dispatchInteraction(payload: { id: Snowflake; token: string; guild_id: Snowflake }): InteractionRef {
    this.dispatchedAt.set(payload.token, performance.now());
    this.dispatch(GatewayDispatchEvents.InteractionCreate, payload, payload.guild_id);
    return { id: payload.id, token: payload.token };
  }

  /** Command id/name (and guild_id for guild commands), matching what the bot registered if it did. */
  protected commandRef(name: string): { id: Snowflake; name: string; guild_id?: Snowflake } {
    const registered = this.commands.get(name);
    return { id: registered?.id ?? snowflake(), name, ...(registered?.guildId && { guild_id: registered.guildId }) };
  }

  protected resolvedAttachments(options: CommandOptionInput[]): { resolved?: { attachments: Record<Snowflake, APIAttachment> } } {
    const attachments = options
      .filter((option) => option.type === ApplicationCommandOptionType.Attachment)
      .map((option) => this.cdn.attachment(String(option.value)))
      .filter((attachment): attachment is APIAttachment => attachment !== undefined);
    return attachments.length > 0 ? { resolved: { attachments: Object.fromEntries(attachments.map((a) => [a.id, a])) } } : {};
  }

  protected commandOptions(
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
}
