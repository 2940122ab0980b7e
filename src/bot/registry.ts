import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApplicationCommandType,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  type RESTPostAPIApplicationCommandsJSONBody,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from './context.js';
import type { Preconditions } from './preconditions.js';

/**
 * The command handler of the discord.js guide: every file in `commands/` default-exports one command
 * (`data` builder + `execute`), and this registry collects them. Adding a command adds one file.
 */

/** `cooldown: true` and other preconditions are checked by `sharedRun` before `execute`. */
export interface CommandTraits extends Preconditions {
  /** The line /help shows, for builders without a description (context menus). */
  help?: string;
}

export interface SlashCommand extends CommandTraits {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, context: BotContext): Promise<void>;
  /** Handles this command's buttons, whose custom ids start with the command name. */
  onButton?(interaction: ButtonInteraction, context: BotContext, parts: string[]): Promise<void>;
}

export interface MessageCommand extends CommandTraits {
  data: { name: string; toJSON(): RESTPostAPIContextMenuApplicationCommandsJSONBody };
  execute(interaction: MessageContextMenuCommandInteraction, context: BotContext): Promise<void>;
}

export interface CommandRegistry {
  slash: ReadonlyMap<string, SlashCommand>;
  message: ReadonlyMap<string, MessageCommand>;
  /** What `deploy` registers with Discord. */
  bodies(): RESTPostAPIApplicationCommandsJSONBody[];
}

const commandsDir = path.join(import.meta.dirname, 'commands');

export async function loadCommands(dir: string = commandsDir): Promise<CommandRegistry> {
  const slash = new Map<string, SlashCommand>();
  const message = new Map<string, MessageCommand>();
  const files = (await readdir(dir)).filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts')).sort();
  for (const file of files) {
    const module: { default?: unknown } = await import(pathToFileURL(path.join(dir, file)).href);
    const command = module.default;
    if (!isCommand(command)) throw new Error(`${file} must default-export a command with "data" and "execute"`);
    const name = command.data.name;
    if (slash.has(name) || message.has(name)) throw new Error(`two commands are named "${name}"`);
    if (command.data.toJSON().type === ApplicationCommandType.Message) message.set(name, command as MessageCommand);
    else slash.set(name, command as SlashCommand);
  }
  return {
    slash,
    message,
    bodies: () => [...slash.values(), ...message.values()].map((command) => command.data.toJSON()),
  };
}

function isCommand(value: unknown): value is SlashCommand | MessageCommand {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<SlashCommand>;
  return typeof candidate.data?.toJSON === 'function' && typeof candidate.execute === 'function';
}
