import {
  ChannelType,
  type ChatInputCommandInteraction,
  channelMention,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import { CONFIDENCE_RANGE, RESULTS_RANGE, RETENTION_RANGE, type SettingName, type SettingValue } from '../../community/settings.js';
import { UserError } from '../../core/errors.js';
import type { BotContext } from '../context.js';
import { CLEAR_VALUE, checkSettings, type SettingInput } from '../input/settings-values.js';
import { scopeChoices } from '../input/source-filter.js';
import { placeOf } from '../place.js';
import { ADMIN_PERMISSION } from '../preconditions.js';
import type { SlashCommand } from '../registry.js';
import { renderSettings } from '../render/settings.js';
import { replyPrivately } from '../sending/send.js';

const CHANNEL_TYPES = [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum] as const;
const BOT_NEEDS = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages];

const shared = (sub: SlashCommandSubcommandBuilder) =>
  sub
    .addBooleanOption((o) => o.setName('mention_needed').setDescription('Plain messages are ignored unless they mention me (default true)'))
    .addBooleanOption((o) =>
      o.setName('private').setDescription('/ask and Find sources answer only the asker, with a Share button (default true)'),
    )
    .addIntegerOption((o) =>
      o
        .setName('results')
        .setDescription(`Quotes per answer (${RESULTS_RANGE.min}–${RESULTS_RANGE.max}, default 3)`)
        .setMinValue(RESULTS_RANGE.min)
        .setMaxValue(RESULTS_RANGE.max),
    )
    .addIntegerOption((o) =>
      o
        .setName('auto_answer_confidence')
        .setDescription(
          `Auto-answer only quotes this sure (%) to hold the answer (${CONFIDENCE_RANGE.min}–${CONFIDENCE_RANGE.max}, default 50)`,
        )
        .setMinValue(CONFIDENCE_RANGE.min)
        .setMaxValue(CONFIDENCE_RANGE.max),
    );
const channelOption = (sub: SlashCommandSubcommandBuilder, what: string) =>
  sub.addChannelOption((o) =>
    o
      .setName('channel')
      .setDescription(`${what} (default: this channel)`)
      .addChannelTypes(...CHANNEL_TYPES),
  );

export default {
  data: new SlashCommandBuilder()
    .setName('settings')
    .setDescription('Admins: where and how I answer in this server')
    .setDefaultMemberPermissions(ADMIN_PERMISSION)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      channelOption(sub.setName('show').setDescription('The settings in force in a channel, and where each comes from'), 'Which channel'),
    )
    .addSubcommand((sub) =>
      shared(
        sub
          .setName('server')
          .setDescription("Server-wide settings (a channel's own settings win)")
          .addStringOption((o) =>
            o
              .setName('answer_in')
              .setDescription('Where I answer')
              .addChoices(
                { name: 'all channels', value: 'all' },
                { name: 'only listed channels (allow list)', value: 'allow' },
                { name: 'all but listed channels (deny list)', value: 'deny' },
              ),
          )
          .addIntegerOption((o) =>
            o
              .setName('retention_days')
              .setDescription(`Delete stored questions after this many days (default 90)`)
              .setMinValue(RETENTION_RANGE.min)
              .setMaxValue(RETENTION_RANGE.max),
          ),
      ),
    )
    .addSubcommand((sub) =>
      shared(
        channelOption(
          sub.setName('channel').setDescription("One channel's settings (its threads and forum posts follow it)"),
          'Which channel',
        )
          .addBooleanOption((o) => o.setName('listed').setDescription('On the allow or deny list of answer_in'))
          .addBooleanOption((o) =>
            o.setName('auto_answer').setDescription('Answer questions without a mention when confident (forum posts too)'),
          )
          .addStringOption((o) =>
            o
              .setName('folder')
              .setDescription(`Search only this folder of the corpus (${CLEAR_VALUE} clears)`)
              .setAutocomplete(true)
              .setMaxLength(200),
          )
          .addStringOption((o) =>
            o
              .setName('publisher')
              .setDescription(`Search only this publisher (${CLEAR_VALUE} clears)`)
              .setAutocomplete(true)
              .setMaxLength(100),
          )
          .addStringOption((o) =>
            o.setName('after').setDescription(`Only articles dated on or after YYYY-MM-DD (${CLEAR_VALUE} clears)`).setMaxLength(10),
          )
          .addStringOption((o) =>
            o.setName('before').setDescription(`Only articles dated on or before YYYY-MM-DD (${CLEAR_VALUE} clears)`).setMaxLength(10),
          ),
      ),
    )
    .addSubcommand((sub) =>
      channelOption(
        sub.setName('reset').setDescription("Forget a channel's own settings, or the server's"),
        'Which channel',
      ).addBooleanOption((o) => o.setName('server').setDescription('Reset the server-wide settings instead')),
    ),
  help: 'Admins (Manage Server): `/settings show`, `/settings server`, `/settings channel` (where I answer, mentions, private answers, auto-answer and its confidence, scope, results), `/settings reset`',
  admin: true,

  async autocomplete(interaction, context) {
    await interaction.respond(scopeChoices(context.engineQueue.documents(), interaction.options.getFocused(true)));
  },

  async execute(interaction, context) {
    const guildId = interaction.guildId!;
    const sub = interaction.options.getSubcommand();
    const channelId = String(
      interaction.options.get('channel')?.value ?? placeOf(guildId, interaction.channelId, interaction.channel).settingsChannelId,
    );
    const access = await botAccess(interaction, channelId);
    if (sub === 'server' || sub === 'channel') {
      if (sub === 'channel' && access === 'none') {
        await replyPrivately(
          interaction,
          `I cannot see or post in ${channelMention(channelId)}: give me View Channel and Send Messages there first.`,
        );
        return;
      }
      try {
        await store(interaction, context, guildId, sub === 'server' ? null : channelId);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        await replyPrivately(interaction, `Nothing was changed: ${error.message}.`);
        return;
      }
    } else if (sub === 'reset') {
      await context.community.reset(guildId, interaction.options.getBoolean('server') ? null : channelId);
    }
    context.logger.info({ event: `settings-${sub}`, userId: interaction.user.id, guildId, channelId }, 'settings command by an admin');
    const { settings, origins } = await context.community.settings(guildId, channelId);
    const lists = {
      allow: await context.community.channelsWith(guildId, 'listed', true),
      autoAnswer: await context.community.channelsWith(guildId, 'auto_answer', true),
    };
    await interaction.reply({
      ...renderSettings(channelId, settings, origins, lists, access, sub === 'show' ? undefined : sub),
      flags: MessageFlags.Ephemeral,
    });
  },
} satisfies SlashCommand;

async function store(
  interaction: ChatInputCommandInteraction,
  context: BotContext,
  guildId: string,
  channelId: string | null,
): Promise<void> {
  const names: SettingName[] = [
    'answer_in',
    'retention_days',
    'mention_needed',
    'private',
    'results',
    'listed',
    'auto_answer',
    'auto_answer_confidence',
    'folder',
    'publisher',
    'after',
    'before',
  ];
  const input: SettingInput = {};
  for (const name of names) {
    const value = interaction.options.get(name)?.value;
    if (value !== undefined) input[name] = value;
  }
  if (Object.keys(input).length === 0) throw new UserError('give at least one setting to change (or use /settings show)');
  const current = (await context.community.settings(guildId, channelId)).settings.scope;
  const values = checkSettings(input, channelId ? 'channel' : 'server', context.engineQueue.documents(), current);
  const cleared = [...values].filter(([, value]) => value === null).map(([name]) => name);
  await context.community.set(
    guildId,
    channelId,
    new Map([...values].filter((entry): entry is [SettingName, SettingValue] => entry[1] !== null)),
  );
  if (cleared.length > 0) await context.community.reset(guildId, channelId, cleared);
}

/** Whether the bot can read and post in a channel: "none" when an admin took its access away. */
async function botAccess(interaction: ChatInputCommandInteraction, channelId: string): Promise<'ok' | 'none' | 'unknown'> {
  const channel =
    interaction.guild?.channels.cache.get(channelId) ?? (await interaction.guild?.channels.fetch(channelId).catch(() => null));
  const me = interaction.guild?.members.me;
  if (!channel || !me) return channel === null ? 'none' : 'unknown';
  return channel.permissionsFor(me).has(BOT_NEEDS) ? 'ok' : 'none';
}
