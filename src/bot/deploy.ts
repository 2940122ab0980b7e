import { REST, Routes } from 'discord.js';
import type { Config } from '../config.js';
import { UserError } from '../core/errors.js';
import { loadRegistry } from './registry.js';

/**
 * Registers every command in the registry with Discord (run by `npm run deploy-commands`,
 * src/cli/deploy-commands.ts). With DISCORD_GUILD_ID the commands go to that server only and appear
 * at once (for development); without it they are registered globally, for every server the bot is in.
 */

/** Something the user can fix: missing credentials, or Discord refusing them. */
export class DeployError extends UserError {
  override name = 'DeployError';
}

export interface DeployResult {
  scope: 'guild' | 'global';
  names: string[];
}

export async function deployCommands(config: Config): Promise<DeployResult> {
  const { DISCORD_TOKEN: token, DISCORD_CLIENT_ID: clientId, DISCORD_GUILD_ID: guildId } = config;
  if (!token || !clientId) {
    throw new DeployError('DISCORD_TOKEN and DISCORD_CLIENT_ID (the application id) must both be set, e.g. in .env');
  }
  const body = (await loadRegistry()).commandBodies();
  const route = guildId ? Routes.applicationGuildCommands(clientId, guildId) : Routes.applicationCommands(clientId);
  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(token);
  try {
    await rest.put(route, { body });
  } catch (error) {
    throw new DeployError(`Discord refused the commands: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { scope: guildId ? 'guild' : 'global', names: body.map((command) => command.name) };
}
