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
 * The command handler of the discord.js guide, for commands and components alike: every file in
 * `commands/` default-exports one command (`data` builder + `execute`), every file in `components/`
 * one button handler (`namespace` + `execute`), and this registry collects them. Adding one adds a file.
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
}

export interface MessageCommand extends CommandTraits {
  data: { name: string; toJSON(): RESTPostAPIContextMenuApplicationCommandsJSONBody };
  execute(interaction: MessageContextMenuCommandInteraction, context: BotContext): Promise<void>;
}

/** Answers the buttons whose custom id starts with `namespace` (see custom-ids.ts). */
export interface ComponentHandler extends Preconditions {
  namespace: string;
  execute(interaction: ButtonInteraction, context: BotContext, parts: string[]): Promise<void>;
}

export interface HandlerRegistry {
  slash: ReadonlyMap<string, SlashCommand>;
  message: ReadonlyMap<string, MessageCommand>;
  /** Button handlers by namespace. */
  components: ReadonlyMap<string, ComponentHandler>;
  /** What `deploy-commands` registers with Discord. */
  commandBodies(): RESTPostAPIApplicationCommandsJSONBody[];
}

const DEFAULT_DIRS = { commands: path.join(import.meta.dirname, 'commands'), components: path.join(import.meta.dirname, 'components') };

export async function loadRegistry(dirs: { commands: string; components: string } = DEFAULT_DIRS): Promise<HandlerRegistry> {
  const slash = new Map<string, SlashCommand>();
  const message = new Map<string, MessageCommand>();
  for (const [file, command] of await defaultExports(dirs.commands)) {
    if (!isCommand(command)) throw new Error(`${file} must default-export a command with "data" and "execute"`);
    const name = command.data.name;
    if (slash.has(name) || message.has(name)) throw new Error(`two commands are named "${name}"`);
    if (command.data.toJSON().type === ApplicationCommandType.Message) message.set(name, command as MessageCommand);
    else slash.set(name, command as SlashCommand);
  }
  const components = new Map<string, ComponentHandler>();
  for (const [file, component] of await defaultExports(dirs.components)) {
    if (!isComponent(component)) throw new Error(`${file} must default-export a component handler with "namespace" and "execute"`);
    if (components.has(component.namespace)) throw new Error(`two component handlers answer the namespace "${component.namespace}"`);
    components.set(component.namespace, component);
  }
  return {
    slash,
    message,
    components,
    commandBodies: () => [...slash.values(), ...message.values()].map((command) => command.data.toJSON()),
  };
}

/** Each module file of a folder, in name order, with its default export. */
async function defaultExports(dir: string): Promise<Array<[file: string, value: unknown]>> {
  const files = (await readdir(dir)).filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts')).sort();
  return Promise.all(
    files.map(async (file): Promise<[string, unknown]> => {
      const module: { default?: unknown } = await import(pathToFileURL(path.join(dir, file)).href);
      return [file, module.default];
    }),
  );
}

function isCommand(value: unknown): value is SlashCommand | MessageCommand {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<SlashCommand>;
  return typeof candidate.data?.toJSON === 'function' && typeof candidate.execute === 'function';
}

function isComponent(value: unknown): value is ComponentHandler {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ComponentHandler>;
  return typeof candidate.namespace === 'string' && candidate.namespace !== '' && typeof candidate.execute === 'function';
}
