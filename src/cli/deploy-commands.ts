import { deployCommands } from '../bot/deploy.js';
import { configFromEnv, runCli } from './run.js';

/** `npm run deploy-commands`: registers the bot's slash commands and context menu with Discord. */
runCli(async () => {
  const config = configFromEnv();
  const { scope, names } = await deployCommands(config);
  const where = scope === 'guild' ? `to server ${config.DISCORD_GUILD_ID}` : 'globally (all servers the bot is in)';
  process.stdout.write(`Registered ${names.length} commands ${where}: ${names.join(', ')}\n`);
});
