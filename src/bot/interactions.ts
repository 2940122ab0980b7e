import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
  MessageContextMenuCommandInteraction,
} from 'discord.js';
import type { BotContext } from './context.js';
import { decodeCustomId } from './custom-ids.js';
import { loggableError } from './errors.js';
import { handleFeedbackButton } from './feedback.js';
import { BUTTON_NAMESPACES } from './custom-ids.js';
import type { CommandTraits } from './registry.js';
import { cooldownText, describeFailure } from './failures.js';
import { replyPrivately } from './send.js';

type CommandInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

/**
 * Routes every interaction to its command, autocomplete or button handler. The cross-cutting parts
 * live here once: the cooldown precondition, and turning any error into a short private reply.
 */
export function createInteractionHandler(context: BotContext): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    try {
      if (interaction.isAutocomplete()) {
        await autocomplete(interaction, context);
      } else if (interaction.isChatInputCommand()) {
        const command = await admit(context.commands.slash.get(interaction.commandName), interaction, context);
        if (command) await timed(interaction, context, () => command.execute(interaction, context));
      } else if (interaction.isMessageContextMenuCommand()) {
        const command = await admit(context.commands.message.get(interaction.commandName), interaction, context);
        if (command) await timed(interaction, context, () => command.execute(interaction, context));
      } else if (interaction.isButton()) {
        await pressButton(interaction, context);
      }
    } catch (error) {
      await reportFailure(interaction, error, context);
    }
  };
}

/** Applies the preconditions; returns the command when it may run, after telling the user if not. */
async function admit<C extends CommandTraits>(
  command: C | undefined,
  interaction: CommandInteraction,
  context: BotContext,
): Promise<C | undefined> {
  if (!command) {
    await replyPrivately(interaction, 'I do not know that command any more — the commands may need redeploying.');
    return undefined;
  }
  if (command.cooldown) {
    const wait = context.cooldown.take(interaction.user.id);
    if (wait > 0) {
      await replyPrivately(interaction, cooldownText(wait));
      return undefined;
    }
  }
  return command;
}

async function timed(interaction: CommandInteraction, context: BotContext, run: () => Promise<void>): Promise<void> {
  const startedAt = Date.now();
  await run();
  context.logger.info(
    { event: 'command', command: interaction.commandName, guildId: interaction.guildId, ms: Date.now() - startedAt },
    'command handled',
  );
}

async function autocomplete(interaction: AutocompleteInteraction, context: BotContext): Promise<void> {
  await context.commands.slash.get(interaction.commandName)?.autocomplete?.(interaction, context);
}

async function pressButton(interaction: ButtonInteraction, context: BotContext): Promise<void> {
  const { namespace, parts } = decodeCustomId(interaction.customId);
  if (namespace === BUTTON_NAMESPACES.feedback) {
    await handleFeedbackButton(interaction, context, parts);
    return;
  }
  const handler = context.commands.slash.get(namespace)?.onButton;
  if (handler) await handler(interaction, context, parts);
  else await replyPrivately(interaction, 'These buttons no longer work — run the command again.');
}

async function reportFailure(interaction: Interaction, error: unknown, context: BotContext): Promise<void> {
  const { text, isBug } = describeFailure(error);
  if (isBug) context.logger.error({ err: loggableError(error), event: 'interaction-failed', kind: interaction.type }, 'interaction handler failed');
  try {
    if (interaction.isAutocomplete()) {
      if (!interaction.responded) await interaction.respond([]);
    } else if (interaction.isRepliable()) {
      await replyPrivately(interaction, text);
    }
  } catch (replyError) {
    context.logger.warn({ err: loggableError(replyError) }, 'could not tell the user about a failure');
  }
}
