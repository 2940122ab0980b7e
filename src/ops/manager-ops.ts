import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import type { OpsPlace } from './bot-ops.js';
import { type OpsServer, startOpsServer } from './server.js';

/**
 * The sharding manager's own port (METRICS_PORT; its shards listen on the next ports, see
 * `opsPort`): `/healthz` is 200 while every shard's bot is online and 503 otherwise, listing each
 * shard; `/metrics` has the manager's process metrics and how many shards are online. Questions are
 * counted by the shards, each on its own port.
 */
export async function startManagerOps(
  place: OpsPlace,
  shardStates: () => Array<{ id: number; ready: boolean }>,
  logger: Logger,
): Promise<OpsServer | undefined> {
  if (place.port === undefined) return undefined;
  const registry = new Registry();
  registry.setDefaultLabels({ shard: 'manager' });
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'quotebot_shards',
    help: 'Shard processes by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const states = shardStates();
      this.set({ state: 'online' }, states.filter((shard) => shard.ready).length);
      this.set({ state: 'not_online' }, states.filter((shard) => !shard.ready).length);
    },
  });
  let stopping = false;
  const server = await startOpsServer({
    ...place,
    port: place.port,
    logger,
    metrics: registry,
    health: () => {
      const shards = shardStates().map(({ id, ready }) => ({ id, online: ready }));
      return { ok: !stopping && shards.length > 0 && shards.every((shard) => shard.online), checks: { shards, stopping } };
    },
  });
  return {
    port: server.port,
    close: () => {
      stopping = true;
      return server.close();
    },
  };
}
