import type { Logger } from '../logger.js';

/**
 * How a long-running process (`npm start`: the bot, or the sharding manager) stops: SIGINT and
 * SIGTERM run `stop` (in-flight work finishes), then exit 0; a fatal error (`fatal` settles with
 * it) prints its one line and exits 2 the same way. Returns the shutdown, which runs once.
 */
export function stopOnSignals(
  logger: Logger,
  stop: () => Promise<void>,
  fatal: { error: Promise<Error>; reason: string },
): (reason: string, exitCode?: number) => Promise<void> {
  let done: Promise<void> | undefined;
  const shutdown = (signal: string, exitCode = 0) =>
    (done ??= (async () => {
      logger.info({ signal }, 'shutting down');
      await stop();
      process.exit(exitCode);
    })());
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  void fatal.error.then((error) => {
    process.stderr.write(`error: ${error.message}\n`);
    void shutdown(fatal.reason, 2);
  });
  return shutdown;
}
