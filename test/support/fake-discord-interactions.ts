import { randomBytes } from 'node:crypto';
import {
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIInteractionGuildMember,
  ApplicationCommandOptionType,
  GatewayDispatchEvents,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageType,
  type Snowflake,
} from 'discord.js';
import { FakeCdn } from './fake-discord-cdn.js';
import { FakeChannels } from './fake-discord-channels.js';
import { BOT_PERMISSIONS, EVERYONE_PERMISSIONS, memberFields } from './fake-discord-guild.js';
import {
  ALLOWED_CALLBACKS,
  applyEdit,
  type CommandOptionInput,
  discordError,
  ErrorCode,
  hasFlag,
  type InteractionOptions,
  type InteractionRef,
  type InteractionState,
  inferOptionType,
  type MessageBody,
  messageFields,
  noContent,
  ok,
  type ParsedRequest,
  type Reply,
  type StoredMessage,
  snowflake,
  type UploadedFile,
} from './fake-discord-model.js';

/** Interactions of the fake Discord: built for the tests to dispatch, answered through their callbacks and webhooks. */
export abstract class FakeInteractions extends FakeChannels {
  protected readonly interactions = new Map<string, InteractionState>();
  /** Registered commands by name, so dispatched interactions carry the registered ids. */
  protected readonly commands = new Map<string, { id: Snowflake; guildId?: Snowflake }>();
  protected readonly cdn = new FakeCdn();

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

  protected onInteractionCallback(interactionId: string, token: string, request: ParsedRequest): Reply {
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

  protected createInteractionMessage(interaction: InteractionState, body: MessageBody, files: UploadedFile[]): StoredMessage {
    return this.createMessage(interaction.channelId, {
      ...messageFields(body, files),
      type: interaction.messageType,
      webhook_id: this.applicationId,
      application_id: this.applicationId,
      interaction_metadata: interaction.metadata,
    });
  }

  /** The interaction behind a webhook route, if it may be used (Discord: Unknown Webhook otherwise). */
  protected webhookInteraction(applicationId: string, token: string): InteractionState | undefined {
    const interaction = this.interactions.get(token);
    return applicationId === this.applicationId && interaction?.acknowledged ? interaction : undefined;
  }

  protected webhookMessage(params: { applicationId: string; token: string; messageId: string }): StoredMessage | Reply {
    const interaction = this.webhookInteraction(params.applicationId, params.token);
    if (!interaction) return discordError(404, ErrorCode.UnknownWebhook, 'Unknown Webhook');
    const id = params.messageId === '@original' ? interaction.originalMessageId : params.messageId;
    return this.messages.get(id ?? '') ?? discordError(404, ErrorCode.UnknownMessage, 'Unknown Message');
  }
}
