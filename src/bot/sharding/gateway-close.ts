import { GatewayCloseCodes } from 'discord.js';
import { UserError } from '../../core/errors.js';

/**
 * What to tell the operator when Discord closes the gateway for good (discord.js does not
 * reconnect after these codes): one line, naming the setting to fix and never the token.
 */
const FATAL_CLOSES: Partial<Record<GatewayCloseCodes, string>> = {
  [GatewayCloseCodes.AuthenticationFailed]:
    'Discord rejected DISCORD_TOKEN (gateway close 4004, authentication failed); copy a new token from the Developer Portal (Bot → Reset Token)',
  [GatewayCloseCodes.DisallowedIntents]:
    'Discord refused the gateway intents the bot needs (close 4014); enable them for the application in the Developer Portal (Bot → Privileged Gateway Intents)',
  [GatewayCloseCodes.InvalidIntents]: 'Discord rejected the gateway intents (close 4013)',
  [GatewayCloseCodes.InvalidShard]: 'Discord rejected the shard (close 4010)',
  [GatewayCloseCodes.ShardingRequired]: 'Discord requires sharding for this bot (close 4011)',
  [GatewayCloseCodes.InvalidAPIVersion]: 'Discord rejected the gateway API version (close 4012)',
};

export class GatewayClosedError extends UserError {
  override name = 'GatewayClosedError';
  constructor(readonly code: number) {
    super(FATAL_CLOSES[code as GatewayCloseCodes] ?? `Discord closed the gateway for good (close ${code})`);
  }
}

/** True for the close codes after which discord.js gives up instead of reconnecting. */
export function isFatalClose(code: number | undefined): code is number {
  return code !== undefined && code in FATAL_CLOSES;
}
