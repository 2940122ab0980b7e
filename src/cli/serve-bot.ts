import type { BotOptions, RunningBot } from '../bot/bot.js';
import type { Config } from '../config.js';
import type { WorkerEngine } from '../engine/worker-engine.js';
import { logger as defaultLogger } from '../logger.js';
import type { BotOps } from '../ops/bot-ops.js';
import { stopOnSignals } from './shutdown.js';

/**
 * Runs the Discord bot over an open engine until a signal or a fatal gateway close, the same way in
 * one process (`npm start`) and in each shard process (src/cli/shard.ts): SIGINT/SIGTERM let
 * in-flight replies finish, then exit 0; a connection Discord will not take back (a reset token, an
 * intent switched off) prints why and exits 2. With `ops` (METRICS_PORT), /healthz turns 503 as
 * soon as the shutdown starts. Returns the bot and its shutdown.
 */
export async function serveBot(
  config: Config,
  engine: WorkerEngine,
  options: BotOptions = {},
  ops?: BotOps,
): Promise<{ bot: RunningBot; shutdown: (reason: string, exitCode?: number) => Promise<void> }> {
  const logger = options.logger ?? defaultLogger;
  const { startBot } = await import('../bot/bot.js');
  const bot = await startBot(config, engine, { ...options, metrics: ops?.metrics }).catch(async (error: unknown) => {
    await engine.close();
    await ops?.close();
    throw error;
  });
  ops?.botStarted(bot.client);
  const stop = async () => {
    ops?.stopping();
    await bot.stop();
    await engine.close();
    await ops?.close();
    logger.info({ event: 'stopped' }, 'logged out; exiting');
  };
  const shutdown = stopOnSignals(logger, stop, { error: bot.closed, reason: 'gateway closed' });
  return { bot, shutdown };
}
