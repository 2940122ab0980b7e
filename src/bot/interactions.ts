import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
  MessageContextMenuCommandInteraction,
} from 'discord.js';
import { decodeCustomId } from './buttons/custom-ids.js';
import type { BotContext } from './context.js';
import { placeOf } from './place.js';
import type { Preconditions } from './preconditions.js';
import { replyPrivately } from './sending/send.js';
import { type Entry, type EntryKind, sharedRun } from './shared-run.js';

type RoutedInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction | AutocompleteInteraction | ButtonInteraction;

const UNKNOWN_COMMAND = 'I do not know that command any more — the commands may need redeploying.';
const UNKNOWN_BUTTON = 'These buttons no longer work — run the command again.';

/**
 * Routes every interaction to its handler in the registry: commands by name, buttons by the
 * namespace of their custom id. Each runs through `sharedRun`, with the preconditions it declares.
 */
export function createInteractionHandler(context: BotContext): (interaction: Interaction) => Promise<void> {
  const { slash, message, components } = context.registry;
  return async (interaction) => {
    if (interaction.isChatInputCommand()) {
      const entry = entryOf(interaction, 'command', interaction.commandName);
      await route(context, entry, slash.get(entry.name), UNKNOWN_COMMAND, (command) => command.execute(interaction, context));
    } else if (interaction.isMessageContextMenuCommand()) {
      const entry = entryOf(interaction, 'context-menu', interaction.commandName);
      await route(context, entry, message.get(entry.name), UNKNOWN_COMMAND, (command) => command.execute(interaction, context));
    } else if (interaction.isAutocomplete()) {
      const command = slash.get(interaction.commandName);
      // Suggestions share the command's permission, not its cooldown: typing is not asking.
      const preconditions = { admin: command?.admin };
      await sharedRun(context, entryOf(interaction, 'autocomplete', interaction.commandName), preconditions, async () =>
        command?.autocomplete?.(interaction, context),
      );
    } else if (interaction.isButton()) {
      const { namespace, parts } = decodeCustomId(interaction.customId);
      const entry = entryOf(interaction, 'button', namespace);
      await route(context, entry, components.get(namespace), UNKNOWN_BUTTON, (component) => component.execute(interaction, context, parts));
    }
  };
}

/** Runs the handler found for an entry with its preconditions, or tells the user nothing answers it. */
async function route<H extends Preconditions>(
  context: BotContext,
  entry: Entry,
  handler: H | undefined,
  missing: string,
  run: (handler: H) => Promise<void>,
): Promise<void> {
  if (handler) await sharedRun(context, entry, handler, () => run(handler));
  else await sharedRun(context, entry, {}, () => entry.tell(missing));
}

function entryOf(interaction: RoutedInteraction, kind: EntryKind, name: string): Entry {
  return {
    kind,
    name,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    memberPermissions: interaction.memberPermissions,
    place: placeOf(interaction.guildId, interaction.channelId, interaction.channel),
    // An autocomplete cannot show text: an empty list ends the user's wait.
    tell: (text) =>
      interaction.isAutocomplete()
        ? interaction.responded
          ? Promise.resolve()
          : interaction.respond([])
        : replyPrivately(interaction, text),
  };
}
