import { type APIApplicationCommandOption, ApplicationCommandOptionType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { HandlerRegistry, SlashCommand } from '../registry.js';
import { type HelpEntry, renderHelp } from '../render/help.js';

export default {
  data: new SlashCommandBuilder().setName('help').setDescription('What this bot does and how to use it'),

  async execute(interaction, context) {
    const { commands, contextMenus } = helpEntries(context.registry);
    await interaction.reply({ ...renderHelp(commands, contextMenus), flags: MessageFlags.Ephemeral });
  },
} satisfies SlashCommand;

/** Built from the registered commands themselves, so /help cannot drift from what is deployed. */
function helpEntries(registry: HandlerRegistry): { commands: HelpEntry[]; contextMenus: HelpEntry[] } {
  const commands = [...registry.slash.values()].map((command) => {
    const body = command.data.toJSON();
    const options = body.options ?? [];
    const subcommands = options.filter((option) => option.type === ApplicationCommandOptionType.Subcommand).map((option) => option.name);
    const usage = subcommands.length > 0 ? [subcommands.join('|')] : options.map(optionUsage);
    return { usage: [`/${body.name}`, ...usage].join(' '), summary: command.help ?? body.description };
  });
  const contextMenus = [...registry.message.values()].map((command) => ({ usage: command.data.name, summary: command.help ?? '' }));
  return { commands, contextMenus };
}

function optionUsage(option: APIApplicationCommandOption): string {
  const shape = option.type === ApplicationCommandOptionType.String ? `${option.name}:…` : option.name;
  return option.required ? shape : `[${shape}]`;
}
