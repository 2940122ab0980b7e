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
 * In parts, by concern, each class extending the one before: the gateway (fake-discord-gateway.ts),
 * messages and channels (fake-discord-channels.ts), interactions with their callbacks and webhooks
 * (fake-discord-interactions.ts), the REST routes (fake-discord-rest.ts); beside them the CDN
 * (fake-discord-cdn.ts), the guild it describes (fake-discord-guild.ts) and the shapes they share
 * (fake-discord-model.ts). This file is what a test drives: interactions, user messages, guilds, attachments.
 */
import { randomBytes } from 'node:crypto';
import {
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIAttachment,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIMessage,
  type APIMessageApplicationCommandGuildInteraction,
  type APIMessageComponentGuildInteraction,
  ApplicationCommandType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionType,
  MessageReferenceType,
  MessageType,
  type Snowflake,
} from 'discord.js';
import {
  buttonCustomIds,
  type CommandOptionInput,
  type FakeDiscordOptions,
  type GuildRef,
  type InteractionOptions,
  type InteractionRef,
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
}
