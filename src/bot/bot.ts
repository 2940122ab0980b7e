import { Client, Events, GatewayCloseCodes, GatewayIntentBits, type Interaction, type Message, Options } from 'discord.js';
import { openCommunityStore } from '../community/open.js';
import type { CommunityStore } from '../community/store.js';
import type { Config } from '../config.js';
import { connectionErrorCode, connectionFailureReason } from '../core/connection-errors.js';
import { UserError } from '../core/errors.js';
import type { QuoteEngine } from '../core/types.js';
import { logger as defaultLogger, type Logger } from '../logger.js';
import { communityOptions } from '../options.js';
import { type BotContext, type ContextOptions, createBotContext } from './context.js';
import { createInteractionHandler } from './interactions.js';
import { inviteUrl } from './invite.js';
import { watchCommunity } from './messages/community-events.js';
import { createMentionHandler } from './messages/mentions.js';
import { loadRegistry } from './registry.js';
import { loggableError } from './sending/errors.js';
import { RESTARTING_TEXT } from './sending/failures.js';
import { NO_PINGS } from './sending/payload.js';
import { replyPrivately } from './sending/send.js';
import { GatewayClosedError, isFatalClose } from './sharding/gateway-close.js';

const BASE_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];
/** Privileged: the application must enable it in the Developer Portal, or Discord closes the gateway with 4014. */
const MESSAGE_CONTENT = GatewayIntentBits.MessageContent;
/** How long stop() lets in-flight replies and waiting questions finish before the connection is cut. */
export const SHUTDOWN_GRACE_MS = 10_000;
/** Then, how long the questions still waiting get to be told "restarting, ask again". */
export const TELL_GRACE_MS = 2_000;

export interface RunningBot {
  client: Client<true>;
  /**
   * Stops taking work, lets in-flight replies and waiting questions finish (up to 10 s), tells the
   * questions still waiting then to ask again, and disconnects. Safe to call twice.
   */
  stop(): Promise<void>;
  /**
   * Resolves if Discord later closes the connection for good (a token reset: 4004), after which
   * discord.js will not reconnect; the process should stop and exit non-zero.
   */
  closed: Promise<GatewayClosedError>;
}

export interface BotOptions extends ContextOptions {
  logger?: Logger;
  /** The gateway shard this process runs (sent in IDENTIFY); one process runs shard 0 of 1. */
  shard?: { id: number; count: number };
  /** Awaited before each login: under a sharding manager, the turn to IDENTIFY (one shard at a time). */
  beforeLogin?: () => Promise<void>;
  /** How long stop() lets questions be answered before it tells the rest to ask again (default 10 s). */
  shutdownGraceMs?: number;
  /** Settings, questions and feedback; by default opened from the configuration (and closed by stop()). */
  community?: CommunityStore;
}

export async function startBot(config: Config, engine: QuoteEngine, options: BotOptions = {}): Promise<RunningBot> {
  const token = config.DISCORD_TOKEN;
  if (!token) throw new Error('DISCORD_TOKEN is not set; the bot cannot log in');
  const logger = options.logger ?? defaultLogger;
  const community = options.community ?? (await openCommunityStore(communityOptions(config)));
  const context = createBotContext(config, engine, await loadRegistry(), logger, community, options);
  const housekeeping = watchCommunity(context);
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  const track = tracker(inFlight);
  const onInteraction = createInteractionHandler(context);
  const onMessage = createMentionHandler(context);
  const gateway = { shard: options.shard ?? { id: 0, count: 1 }, beforeLogin: options.beforeLogin };
  const listen = (client: Client) => {
    client.on(Events.InteractionCreate, (interaction: Interaction) => {
      if (!stopping) track(onInteraction(interaction));
      else if (interaction.isRepliable()) void replyPrivately(interaction, RESTARTING_TEXT).catch(() => undefined);
    });
    client.on(Events.MessageCreate, (message: Message) => {
      if (!stopping) track(onMessage(message));
    });
    client.on(Events.ChannelDelete, (channel) => {
      if (!channel.isDMBased()) void housekeeping.forgetChannel(channel.guildId, channel.id);
    });
    client.on(Events.Error, (error) => logger.error({ err: loggableError(error) }, 'discord client error'));
    client.on(Events.ShardError, (error) => logger.warn({ err: loggableError(error) }, 'gateway connection error'));
  };

  let client: Client<true>;
  try {
    client = await connectWithFallback(config.DISCORD_API_URL, token, listen, gateway, logger);
  } catch (error) {
    context.dispose();
    housekeeping.stop();
    if (!options.community) await community.close();
    throw error;
  }
  logReady(logger, client, gateway.shard);

  if (options.metrics) options.metrics.sources.gatewayPingMs = () => client.ws.ping;

  const closed = fatalClose(client, () => stopping);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      stopping = true;
      await drain(inFlight, context, options.shutdownGraceMs ?? SHUTDOWN_GRACE_MS, logger);
      context.dispose();
      housekeeping.stop();
      await client.destroy();
      if (!options.community) await community.close();
    })();
    return stopped;
  };
  return { client, stop, closed };
}

/** Adds a reply to `inFlight` until it settles, so stopping can wait for it. */
function tracker(inFlight: Set<Promise<void>>): (work: Promise<void>) => void {
  return (work) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
}

function logReady(logger: Logger, client: Client<true>, shard: { id: number; count: number }): void {
  logger.info(
    {
      event: 'bot-ready',
      user: client.user.id,
      gatewayShard: [shard.id, shard.count],
      guilds: client.guilds.cache.size,
      invite: inviteUrl(client.application.id),
    },
    'bot is online',
  );
}

/** Logs in with the Message Content intent, or without it when Discord refuses it (close code 4014). */
async function connectWithFallback(
  apiUrl: string,
  token: string,
  listen: (client: Client) => void,
  gateway: Parameters<typeof connect>[4],
  logger: Logger,
): Promise<Client<true>> {
  try {
    return await connect(apiUrl, token, [...BASE_INTENTS, MESSAGE_CONTENT], listen, gateway);
  } catch (error) {
    if (!(error instanceof GatewayClosedError && error.code === GatewayCloseCodes.DisallowedIntents)) throw error;
    logger.warn(
      { event: 'message-content-intent-missing' },
      'Discord refused the Message Content intent (enable it under Developer Portal → Bot → Privileged Gateway Intents). ' +
        'Logging in without it: slash commands and the context menu work fully; mentions work while Discord shares their text, ' +
        'and a mention that arrives without text gets a hint to use /ask.',
    );
    return await connect(apiUrl, token, BASE_INTENTS, listen, gateway);
  }
}

/** Resolves when Discord closes the gateway for good (a code discord.js does not reconnect after), unless stopping. */
function fatalClose(client: Client, stopping: () => boolean): Promise<GatewayClosedError> {
  return new Promise<GatewayClosedError>((resolve) => {
    client.on(Events.ShardDisconnect, ({ code }) => {
      if (!stopping() && isFatalClose(code)) resolve(new GatewayClosedError(code));
    });
  });
}

/** Waits up to `graceMs` for the replies in flight; then questions still waiting are told to ask again. */
async function drain(inFlight: Set<Promise<void>>, context: BotContext, graceMs: number, logger: Logger): Promise<void> {
  const settled = () => Promise.allSettled([...inFlight]);
  await Promise.race([settled(), delay(graceMs)]);
  if (inFlight.size > 0) {
    // Out of time: questions still waiting are told to ask again rather than left to time out.
    context.engineQueue.close();
    await Promise.race([settled(), delay(TELL_GRACE_MS)]);
  }
  if (inFlight.size > 0) logger.warn({ event: 'shutdown', cancelled: inFlight.size }, 'cancelling replies still in flight');
}

/** Logs in and waits until the client is ready; a close discord.js gives up after (4004, 4014...) becomes a `GatewayClosedError`. */
async function connect(
  apiUrl: string,
  token: string,
  intents: GatewayIntentBits[],
  listen: (client: Client) => void,
  gateway: { shard: { id: number; count: number }; beforeLogin?: () => Promise<void> },
): Promise<Client<true>> {
  const client = new Client({
    intents,
    // Always explicit: left unset, discord.js would read SHARDS from the environment, where it is this project's setting.
    shards: [gateway.shard.id],
    shardCount: gateway.shard.count,
    rest: { api: apiUrl },
    allowedMentions: NO_PINGS,
    // No cache of users' messages: the bot reads thread history via REST when it needs it.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
  });
  let closeCode: number | undefined;
  client.on(Events.ShardDisconnect, (event) => {
    closeCode = event.code;
  });
  listen(client);
  try {
    await gateway.beforeLogin?.();
    await client.login(token);
  } catch (error) {
    await client.destroy();
    if (isFatalClose(closeCode)) throw new GatewayClosedError(closeCode);
    // discord.js asks REST for the gateway first; a bad token fails there with 401.
    if ((error as { code?: unknown }).code === 'TokenInvalid')
      throw new UserError(
        'Discord rejected DISCORD_TOKEN (401 Unauthorized); copy a new token from the Developer Portal (Bot → Reset Token)',
      );
    // Offline, a firewall, or a DISCORD_API_URL that points nowhere: the user's to fix, in one line.
    if (connectionErrorCode(error))
      throw new UserError(
        `cannot reach Discord at ${apiUrl} (${connectionFailureReason(error)}); check the network connection, or DISCORD_API_URL`,
      );
    throw error;
  }
  if (!client.isReady()) await new Promise((resolve) => client.once(Events.ClientReady, resolve));
  return client as Client<true>;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
