import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';

/** Never ping anyone, including the author of a message the bot replies to. */
export const NO_PINGS = { parse: [], repliedUser: false } as const;

/** What every message the bot sends is made of; pings are always off. */
export interface MessagePayload {
  content: string;
  embeds: APIEmbed[];
  components: Array<APIActionRowComponent<APIButtonComponent>>;
  allowedMentions: typeof NO_PINGS;
}

/** A payload from the parts given; the rest is empty. */
export function messagePayload(parts: Partial<Omit<MessagePayload, 'allowedMentions'>>): MessagePayload {
  return { content: parts.content ?? '', embeds: parts.embeds ?? [], components: parts.components ?? [], allowedMentions: NO_PINGS };
}
