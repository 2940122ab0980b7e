import { engineOptions } from '../options.js';
import { logger } from '../logger.js';
import { openWorkerEngine } from '../search/worker-engine.js';
import { cliEngineHooks, configFromEnv, openCliEngine, runCli } from './run.js';
import { runTerminal } from './terminal.js';

/** `npm start`: the Discord bot when DISCORD_TOKEN is set, otherwise the terminal mode over the same core. */
runCli(async () => {
  const config = configFromEnv();
  const options = engineOptions(config, { watch: config.WATCH_CORPUS });
  if (!config.DISCORD_TOKEN) {
    const engine = await openCliEngine(options);
    await runTerminal(engine);
    engine.close();
    return;
  }
  // The bot's engine runs in a worker thread, so this thread only talks to Discord: embedding a
  // burst of questions never delays a heartbeat or an acknowledgement.
  // A stale index keeps answering while the bot re-indexes in the background: start-up never waits for an ingest.
  const engine = await openWorkerEngine({ ...options, backgroundIngest: true }, cliEngineHooks());
  const { startBot } = await import('../bot/bot.js');
  const bot = await startBot(config, engine).catch(async (error: unknown) => {
    await engine.close();
    throw error;
  });
  const shutdown = async (signal: string, exitCode = 0) => {
    logger.info({ signal }, 'shutting down');
    await bot.stop();
    await engine.close();
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  // Discord will not take this connection back (a reset token, an intent switched off): say why and exit non-zero.
  void bot.closed.then((error) => {
    process.stderr.write(`error: ${error.message}\n`);
    void shutdown('gateway closed', 2);
  });
});
