import { type Client, Status } from 'discord.js';
import type { Logger } from '../logger.js';
import { BotMetrics } from './metrics.js';
import { type Health, type OpsServer, startOpsServer } from './server.js';

/**
 * The operators' view of one bot process (one-process `npm start`, or one shard under the manager):
 * `/healthz` is 200 once the index is loaded and every gateway connection of this process is ready,
 * and 503 before, while reconnecting and while stopping; `/metrics` counts its questions.
 * Without METRICS_PORT nothing listens and nothing is counted.
 */
export interface BotOps {
  metrics?: BotMetrics;
  /** The port it listens on, when it does. */
  port?: number;
  indexLoaded(): void;
  botStarted(client: Client): void;
  /** From now on /healthz is 503, so a load balancer or orchestrator stops counting on this process. */
  stopping(): void;
  close(): Promise<void>;
}

export interface OpsPlace {
  host: string;
  /** Unset: no port, no metrics. */
  port?: number;
}

/**
 * The port of a process: the manager (or one-process `npm start`) listens on METRICS_PORT itself,
 * and shard N of a sharding manager on METRICS_PORT + 1 + N, so each is scraped on its own.
 */
export function opsPort(basePort: number | undefined, managedShard?: number): number | undefined {
  if (basePort === undefined) return undefined;
  return managedShard === undefined ? basePort : basePort + 1 + managedShard;
}

export async function startBotOps(place: OpsPlace, shard: number, logger: Logger): Promise<BotOps> {
  if (place.port === undefined) return { indexLoaded() {}, botStarted() {}, stopping() {}, close: async () => undefined };
  const metrics = new BotMetrics(shard);
  const state = { index: false, client: undefined as Client | undefined, stopping: false };
  const server: OpsServer = await startOpsServer({
    host: place.host,
    port: place.port,
    metrics: metrics.registry,
    logger,
    health: () => botHealth(state, shard),
  });
  return {
    metrics,
    port: server.port,
    indexLoaded: () => void (state.index = true),
    botStarted: (client) => void (state.client = client),
    stopping: () => void (state.stopping = true),
    close: () => server.close(),
  };
}

function botHealth(state: { index: boolean; client?: Client; stopping: boolean }, shard: number): Health {
  const connections = state.client ? [...state.client.ws.shards.values()] : [];
  const gateway = connections.length > 0 && connections.every((connection) => connection.status === Status.Ready) ? 'ready' : 'not ready';
  const ok = state.index && gateway === 'ready' && !state.stopping;
  return { ok, checks: { shard, index: state.index ? 'loaded' : 'loading', gateway, stopping: state.stopping } };
}
