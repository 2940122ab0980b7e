import { engineOptions } from '../options.js';
import { logger } from '../logger.js';
import { configFromEnv, openCliEngine, runCli } from './run.js';
import { runTerminal } from './terminal.js';

/** `npm start`: the Discord bot when DISCORD_TOKEN is set, otherwise the terminal mode over the same core. */
runCli(async () => {
  const config = configFromEnv();
  const engine = await openCliEngine(engineOptions(config, { watch: config.WATCH_CORPUS }));
  if (!config.DISCORD_TOKEN) {
    await runTerminal(engine);
    engine.close();
    return;
  }
  const { startBot } = await import('../bot/bot.js');
  const bot = await startBot(config, engine);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await bot.stop();
    engine.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
});
