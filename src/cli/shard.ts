import { managedEngine } from '../bot/sharding/shard-engine.js';
import { connectToManager } from '../bot/sharding/shard-ipc.js';
import { shardOfProcess } from '../config.js';
import { openWorkerEngine } from '../engine/worker-engine.js';
import { logger as rootLogger } from '../logger.js';
import { opsPort, startBotOps } from '../ops/bot-ops.js';
import { engineOptions } from '../options.js';
import { configFromEnv, runCli } from './run.js';
import { serveBot } from './serve-bot.js';

/**
 * One gateway shard: the process the sharding manager (`npm start` with SHARDS) forks for each
 * shard; not meant to be run by hand. It runs the same bot as one-process `npm start`, with its own
 * engine and models, but only reads the index: the manager is its one writer (see shard-manager.ts).
 */
runCli(async () => {
  try {
    await runShard();
  } catch (error) {
    // runCli reports it and sets the exit status; the IPC channel to the manager would keep this process alive.
    setImmediate(() => process.exit());
    throw error;
  }
});

async function runShard(): Promise<void> {
  const config = configFromEnv();
  const shard = shardOfProcess();
  const logger = rootLogger.child({ shard: shard.id });
  const manager = connectToManager();
  const ops = await startBotOps({ host: config.METRICS_HOST, port: opsPort(config.METRICS_PORT, shard.id) }, shard.id, logger);
  const engine = await openWorkerEngine(engineOptions(config, { readOnly: true }), {
    onWarning: (message) => logger.warn({ event: 'engine-warning' }, message),
  });
  ops.indexLoaded();
  const { shutdown } = await serveBot(
    config,
    managedEngine(engine, manager, logger),
    { logger, shard, beforeLogin: () => manager.identify() },
    ops,
  );
  manager.ready(shard.id);
  // The manager died without stopping this shard: exit rather than answer unmanaged (a new manager starts its own shards).
  process.once('disconnect', () => void shutdown('sharding manager gone'));
}
