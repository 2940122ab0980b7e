import type { Channel } from 'discord.js';
import { DEFAULT_SETTINGS, type PlaceSettings } from '../community/settings.js';
import { validateAskOptions } from '../core/ask-options.js';
import type { AskOptions } from '../core/types.js';
import type { BotContext } from './context.js';

/** Where something happens: a server (or none: a DM) and a channel, with the channel whose settings apply. */
export interface Place {
  guildId: string | null;
  channelId: string | null;
  /** A thread (or forum post) follows its parent channel's settings. */
  settingsChannelId: string | null;
}

export function placeOf(guildId: string | null, channelId: string | null, channel: Channel | null | undefined): Place {
  const parent = channel && 'isThread' in channel && channel.isThread() ? channel.parentId : null;
  return { guildId, channelId, settingsChannelId: parent ?? channelId };
}

/** The settings in force at a place; outside a server, the defaults. */
export async function settingsAt(context: BotContext, place: Place): Promise<PlaceSettings> {
  if (!place.guildId) return DEFAULT_SETTINGS;
  return (await context.community.settings(place.guildId, place.settingsChannelId)).settings;
}

/**
 * What a question at this place searches: the channel's default scope, without the server's hidden
 * articles and publishers, `k` results (the place's number unless the user chose one).
 */
export async function askOptionsAt(context: BotContext, place: Place, settings: PlaceSettings, k?: number): Promise<AskOptions> {
  const hidden = place.guildId ? await context.community.hidden(place.guildId) : { documents: [], publishers: [] };
  return validateAskOptions({
    k: k ?? settings.results,
    ...settings.scope,
    hiddenDocuments: hidden.documents,
    hiddenPublishers: hidden.publishers,
  });
}
