import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { openWorkerEngine } from '../engine/worker-engine.js';
import { logger } from '../logger.js';
import { startBotOps } from '../ops/bot-ops.js';
import { engineOptions } from '../options.js';
import { assertSomethingIndexed } from './empty-index.js';
import { cliEngineHooks, configFromEnv, openCliEngine, runCli } from './run.js';
import { serveBot } from './serve-bot.js';
import { stopOnSignals } from './shutdown.js';
import { runTerminal } from './terminal.js';

/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set, otherwise the terminal mode over the same
 * core. With SHARDS above 1 (or `auto`), this process becomes the sharding manager instead.
 */
runCli(async () => {
  const config = configFromEnv();
  const options = engineOptions(config, { watch: config.WATCH_CORPUS });
  if (!config.DISCORD_TOKEN) {
    const engine = await openCliEngine(options);
    try {
      assertSomethingIndexed(engine, options);
      await runTerminal(engine);
    } finally {
      engine.close();
    }
    return;
  }
  if (config.SHARDS !== 1) {
    await runShards(config, config.DISCORD_TOKEN);
    return;
  }
  // The bot's engine runs in a worker thread, so this thread only talks to Discord: embedding a
  // burst of questions never delays a heartbeat or an acknowledgement.
  // A stale index keeps answering while the bot re-indexes in the background: start-up never waits for an ingest.
  const ops = await startBotOps({ host: config.METRICS_HOST, port: config.METRICS_PORT }, 0, logger);
  const engine = await openWorkerEngine({ ...options, backgroundIngest: true }, cliEngineHooks(options)).catch(async (error: unknown) => {
    await ops.close(); // an open port would keep this process alive after the error
    throw error;
  });
  ops.indexLoaded();
  await serveBot(config, engine, {}, ops);
});

/**
 * The sharding manager: resolve the shard count (asking Discord for `auto`) before the long work,
 * bring the index up to date once (the shards only read it), then start one process per shard.
 * This process keeps the writer engine (in a worker thread): it re-ingests when a shard finds the
 * corpus changed or, with WATCH_CORPUS, when a file changes.
 */
async function runShards(config: Config, token: string): Promise<void> {
  const { shardCount } = await import('../bot/sharding/shard-count.js');
  const { startShardManager } = await import('../bot/sharding/shard-manager.js');
  const { startManagerOps } = await import('../ops/manager-ops.js');
  const totalShards = await shardCount(config);
  let notify = () => undefined as void;
  const writerOptions = engineOptions(config, { watch: config.WATCH_CORPUS });
  const hooks = cliEngineHooks(writerOptions);
  const writer = await openWorkerEngine(writerOptions, {
    ...hooks,
    onIngest: (summary) => {
      hooks.onIngest?.(summary);
      notify();
    },
  });
  // Listening before any shard starts: a port in use stops here, with nothing to clean up but the writer.
  let shardStates = (): Array<{ id: number; ready: boolean }> => [];
  const ops = await startManagerOps({ host: config.METRICS_HOST, port: config.METRICS_PORT }, () => shardStates(), logger).catch(
    async (error: unknown) => {
      await writer.close();
      throw error;
    },
  );
  logger.info({ event: 'sharding', shards: totalShards, requested: config.SHARDS }, `starting ${totalShards} shard process(es)`);
  const shards = startShardManager({
    file: fileURLToPath(new URL(`./shard.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url)),
    totalShards,
    token,
    writer,
    logger,
    execArgv: process.execArgv,
  });
  notify = shards.indexUpdated;
  shardStates = shards.shardStates;

  const stop = async () => {
    await shards.stop();
    await writer.close();
    await ops?.close();
  };
  stopOnSignals(logger, stop, { error: shards.fatal, reason: 'shard stopped' });
}
