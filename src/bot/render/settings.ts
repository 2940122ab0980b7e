import { type APIEmbedField, channelMention } from 'discord.js';
import { answersHere, type PlaceSettings, type SettingName, type SettingOrigin } from '../../community/settings.js';
import { type MessagePayload, messagePayload } from '../sending/payload.js';
import { DISCORD_LIMITS } from './limits.js';
import { escapeSourceText, truncate } from './markdown.js';
import { EMBED_COLOR } from './parts.js';

const FROM: Record<SettingOrigin, string> = { default: 'default', server: 'server', channel: 'this channel' };
const ANSWER_IN = { all: 'all channels', allow: 'only listed channels (allow list)', deny: 'all but listed channels (deny list)' } as const;

/** The settings in force in one channel, each with where it comes from, and the server's channel lists. */
export function renderSettings(
  channelId: string,
  settings: PlaceSettings,
  origins: ReadonlyMap<SettingName, SettingOrigin>,
  lists: { allow: string[]; autoAnswer: string[] },
  access: 'ok' | 'none' | 'unknown',
  changed?: string,
): MessagePayload {
  const from = (...names: SettingName[]) => {
    const origin = names.map((name) => origins.get(name) ?? 'default').find((o) => o !== 'default') ?? 'default';
    return ` *(${FROM[origin]})*`;
  };
  const yesNo = (value: boolean) => (value ? 'yes' : 'no');
  const scope = Object.entries(settings.scope).map(([name, value]) => `${name} ${escapeSourceText(value)}`);
  const field = (name: string, value: string): APIEmbedField => ({
    name,
    value: truncate(value, DISCORD_LIMITS.embedFieldValue),
    inline: true,
  });
  const fields = [
    field(
      'I answer here',
      `${yesNo(answersHere(settings))}: ${ANSWER_IN[settings.answerIn]}${from('answer_in')}${settings.answerIn === 'all' ? '' : `; listed: ${yesNo(settings.listed)}${from('listed')}`}`,
    ),
    field('Mention needed', `${yesNo(settings.mentionNeeded)}${from('mention_needed')}`),
    field(
      'Auto-answer',
      `${yesNo(settings.autoAnswer)}${from('auto_answer')}; when ${settings.autoAnswerConfidence}% sure${from('auto_answer_confidence')}`,
    ),
    field('Private answers', `${yesNo(settings.private)}${from('private')}`),
    field('Results', `${settings.results}${from('results')}`),
    field('Scope', `${scope.length > 0 ? scope.join(' · ') : 'all articles'}${from('folder', 'publisher', 'after', 'before')}`),
    field('Retention', `${settings.retentionDays} days${from('retention_days')}`),
    field('Listed channels', channelList(lists.allow)),
    field('Auto-answer channels', channelList(lists.autoAnswer)),
  ];
  const warning =
    access === 'none' ? `\n⚠️ I cannot see or post in ${channelMention(channelId)}: give me View Channel and Send Messages there.` : '';
  return messagePayload({
    content: `${changed ? `Saved the ${changed} settings` : 'Settings'} for ${channelMention(channelId)}:${warning}`,
    embeds: [{ color: EMBED_COLOR, title: 'Settings in force', fields }],
  });
}

function channelList(ids: string[]): string {
  return ids.length === 0 ? 'none' : ids.map((id) => channelMention(id)).join(' ');
}
