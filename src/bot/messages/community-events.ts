import type { BotContext } from '../context.js';
import { loggableError } from '../sending/errors.js';

/** How often stored questions past their server's retention are deleted. */
const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * What keeps the stored community data tidy while the bot runs: questions past each server's
 * retention (default 90 days) are deleted at start and then hourly, and a deleted channel's settings
 * are forgotten.
 */
export function watchCommunity(context: BotContext): { forgetChannel(guildId: string, channelId: string): Promise<void>; stop(): void } {
  const purge = async () => {
    try {
      const deleted = await context.community.purgeExpired();
      if (deleted > 0) context.logger.info({ event: 'retention-purge', deleted }, 'deleted stored questions past their retention');
    } catch (error) {
      context.logger.warn({ event: 'retention-purge-failed', err: loggableError(error) }, 'could not delete expired questions');
    }
  };
  void purge();
  const timer = setInterval(() => void purge(), PURGE_EVERY_MS);
  timer.unref();
  return {
    async forgetChannel(guildId, channelId) {
      try {
        const forgotten = await context.community.reset(guildId, channelId);
        if (forgotten > 0)
          context.logger.info(
            { event: 'channel-forgotten', guildId, channelId, settings: forgotten },
            "a deleted channel's settings were removed",
          );
      } catch (error) {
        context.logger.warn({ err: loggableError(error) }, "could not remove a deleted channel's settings");
      }
    },
    stop: () => clearInterval(timer),
  };
}
