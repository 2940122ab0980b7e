import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { REST, Routes } from 'discord.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { loadRegistry } from './registry.js';

/**
 * `npm run deploy-commands`: registers every command in the registry with Discord. With
 * DISCORD_GUILD_ID the commands go to that server only and appear at once (for development);
 * without it they are registered globally, for every server the bot is in.
 */

export class DeployError extends Error {}

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

async function main(): Promise<void> {
  try {
    const config = loadConfig();
    const { scope, names } = await deployCommands(config);
    const where = scope === 'guild' ? `to server ${config.DISCORD_GUILD_ID}` : 'globally (all servers the bot is in)';
    process.stdout.write(`Registered ${names.length} commands ${where}: ${names.join(', ')}\n`);
  } catch (error) {
    const known = error instanceof DeployError || error instanceof ConfigError;
    process.stderr.write(`deploy-commands: ${known ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main();
