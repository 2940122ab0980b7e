import { REST, type RESTGetAPIGatewayBotResult, Routes } from 'discord.js';
import type { Config } from '../../config.js';
import { UserError } from '../../core/errors.js';

/**
 * How many shards to run: the number set in SHARDS, or for `auto` the count Discord recommends
 * (GET /gateway/bot, about one shard per 1,000 guilds). discord.js's own `auto` asks discord.com
 * directly; this asks DISCORD_API_URL, so the same request also works against a proxy or the tests' fake.
 */
export async function shardCount(config: Pick<Config, 'SHARDS' | 'DISCORD_TOKEN' | 'DISCORD_API_URL'>): Promise<number> {
  if (config.SHARDS !== 'auto') return config.SHARDS;
  if (!config.DISCORD_TOKEN) throw new UserError('SHARDS=auto needs DISCORD_TOKEN to ask Discord how many shards to run');
  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
  let answer: RESTGetAPIGatewayBotResult;
  try {
    answer = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  } catch (error) {
    if ((error as { status?: unknown }).status === 401) {
      throw new UserError(
        'Discord rejected DISCORD_TOKEN (401 Unauthorized); copy a new token from the Developer Portal (Bot → Reset Token)',
      );
    }
    throw new UserError(
      `could not ask Discord for the recommended shard count (GET /gateway/bot): ${(error as Error).message}; set SHARDS to a number instead`,
    );
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
  if (!Number.isInteger(answer.shards) || answer.shards < 1) throw new Error(`Discord recommended ${String(answer.shards)} shards`);
  return answer.shards;
}
