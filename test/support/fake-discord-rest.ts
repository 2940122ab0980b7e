import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ApplicationCommandType,
  ApplicationFlags,
  ChannelType,
  MessageFlags,
  MessageReferenceType,
  MessageType,
  type Snowflake,
} from 'discord.js';
import { FakeInteractions } from './fake-discord-interactions.js';
import {
  applyEdit,
  discordError,
  ErrorCode,
  type FakeDiscordOptions,
  type MessageBody,
  messageFields,
  noContent,
  ok,
  type ParamNames,
  type ParsedRequest,
  parseBody,
  type Reply,
  type Route,
  snowflake,
} from './fake-discord-model.js';

/** The REST routes of the fake Discord, the CDN's among them; what they do for interactions is in fake-discord-interactions.ts. */
export abstract class FakeRest extends FakeInteractions {
  protected readonly routes: Route[] = [];

  protected constructor(options: FakeDiscordOptions) {
    super(options);
    this.registerRoutes();
  }

  protected async onHttpRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
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

  /** The CDN route: attachment bytes by URL, recorded like any call. */
  protected serveAttachment(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const status = this.cdn.serve(res, url);
    this.calls.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      status,
      response: undefined,
      at: performance.now(),
    });
    this.notify();
  }

  protected respond(request: ParsedRequest, versioned: boolean): Reply {
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
  protected addRoute<Path extends string>(
    method: string,
    path: Path,
    handler: (params: Record<ParamNames<Path>, string>, request: ParsedRequest) => Reply,
  ): void {
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

  protected registerRoutes(): void {
    this.registerApplicationRoutes();
    this.registerInteractionRoutes();
    this.registerChannelRoutes();
  }

  /** The gateway URL, the bot user, the application and its commands. */
  protected registerApplicationRoutes(): void {
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
  }

  /** Interaction callbacks and the webhook routes of an interaction's messages. */
  protected registerInteractionRoutes(): void {
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
  }

  /** Channels, their messages and threads. */
  protected registerChannelRoutes(): void {
    this.addRoute('GET', '/channels/:channelId', ({ channelId }) => {
      const channel = this.channels.get(channelId);
      return channel ? ok(channel) : discordError(404, ErrorCode.UnknownChannel, 'Unknown Channel');
    });
    this.addRoute('POST', '/channels/:channelId/typing', ({ channelId }) =>
      this.channels.has(channelId) ? noContent : discordError(404, ErrorCode.UnknownChannel, 'Unknown Channel'),
    );
    this.addRoute('GET', '/channels/:channelId/messages', ({ channelId }, request) =>
      this.channels.has(channelId)
        ? ok(this.history(channelId, request.query))
        : discordError(404, ErrorCode.UnknownChannel, 'Unknown Channel'),
    );
    this.addRoute('POST', '/channels/:channelId/messages', ({ channelId }, request) => this.postChannelMessage(channelId, request));
    this.addRoute('GET', '/channels/:channelId/messages/:messageId', ({ channelId, messageId }) => {
      const message = this.messages.get(messageId);
      return message?.channel_id === channelId
        ? ok(this.asSeenByBot(message))
        : discordError(404, ErrorCode.UnknownMessage, 'Unknown Message');
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
        message_reference: {
          type: MessageReferenceType.Default,
          message_id: reference.message_id,
          channel_id: channelId,
          guild_id: this.guildOf(channelId),
        },
        referenced_message: referenced ?? null,
      }),
    });
    return ok(message);
  }

  /** Bulk overwrite: echoes the commands with ids, keeping the id of a command that already existed. */
  protected registerCommands(body: unknown, guildId?: Snowflake): unknown[] {
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
