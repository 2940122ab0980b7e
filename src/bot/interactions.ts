import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
  MessageContextMenuCommandInteraction,
} from 'discord.js';
import type { BotContext } from './context.js';
import { BUTTON_NAMESPACES, decodeCustomId } from './custom-ids.js';
import { handleFeedbackButton } from './feedback.js';
import type { Preconditions } from './preconditions.js';
import { replyPrivately } from './send.js';
import { sharedRun, type Entry, type EntryKind } from './shared-run.js';

type CommandInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

interface Runnable<I> extends Preconditions {
  execute(interaction: I, context: BotContext): Promise<void>;
}

/** Routes every interaction to its command, autocomplete or button handler, each through `sharedRun`. */
export function createInteractionHandler(context: BotContext): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    if (interaction.isChatInputCommand()) {
      await runCommand(interaction, 'command', context.commands.slash.get(interaction.commandName), context);
    } else if (interaction.isMessageContextMenuCommand()) {
      await runCommand(interaction, 'context-menu', context.commands.message.get(interaction.commandName), context);
    } else if (interaction.isAutocomplete()) {
      const command = context.commands.slash.get(interaction.commandName);
      await sharedRun(context, entryOf(interaction, 'autocomplete', interaction.commandName), {}, async () => command?.autocomplete?.(interaction, context));
    } else if (interaction.isButton()) {
      const { namespace, parts } = decodeCustomId(interaction.customId);
      await sharedRun(context, entryOf(interaction, 'button', namespace), {}, () => pressButton(interaction, namespace, parts, context));
    }
  };
}

async function runCommand<I extends CommandInteraction>(interaction: I, kind: EntryKind, command: Runnable<I> | undefined, context: BotContext): Promise<void> {
  const entry = entryOf(interaction, kind, interaction.commandName);
  if (!command) {
    await sharedRun(context, entry, {}, () => replyPrivately(interaction, 'I do not know that command any more — the commands may need redeploying.'));
    return;
  }
  await sharedRun(context, entry, command, () => command.execute(interaction, context));
}

async function pressButton(interaction: ButtonInteraction, namespace: string, parts: string[], context: BotContext): Promise<void> {
  if (namespace === BUTTON_NAMESPACES.feedback) {
    await handleFeedbackButton(interaction, context, parts);
    return;
  }
  const handler = context.commands.slash.get(namespace)?.onButton;
  if (handler) await handler(interaction, context, parts);
  else await replyPrivately(interaction, 'These buttons no longer work — run the command again.');
}

function entryOf(interaction: CommandInteraction | AutocompleteInteraction | ButtonInteraction, kind: EntryKind, name: string): Entry {
  return {
    kind,
    name,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    // An autocomplete cannot show text: an empty list ends the user's wait.
    tell: (text) =>
      interaction.isAutocomplete() ? (interaction.responded ? Promise.resolve() : interaction.respond([])) : replyPrivately(interaction, text),
  };
}
