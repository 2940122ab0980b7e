import type { APIEmbed } from 'discord.js';
import { DISCORD_LIMITS } from '../../src/bot/render/limits.js';

interface MessageLike {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
}

/** Every way a message breaks Discord's limits; empty when it is within all of them. */
export function limitViolations(message: MessageLike): string[] {
  const problems: string[] = [];
  const check = (what: string, length: number, max: number) => {
    if (length > max) problems.push(`${what}: ${length} > ${max}`);
  };
  check('content', message.content?.length ?? 0, DISCORD_LIMITS.content);
  const embeds = message.embeds ?? [];
  check('embeds', embeds.length, DISCORD_LIMITS.embedsPerMessage);
  let total = 0;
  embeds.forEach((embed, i) => {
    const fields = embed.fields ?? [];
    check(`embed ${i} title`, embed.title?.length ?? 0, DISCORD_LIMITS.embedTitle);
    check(`embed ${i} description`, embed.description?.length ?? 0, DISCORD_LIMITS.embedDescription);
    check(`embed ${i} footer`, embed.footer?.text.length ?? 0, DISCORD_LIMITS.embedFooter);
    check(`embed ${i} author`, embed.author?.name.length ?? 0, DISCORD_LIMITS.embedAuthorName);
    check(`embed ${i} fields`, fields.length, DISCORD_LIMITS.embedFields);
    fields.forEach((field, j) => {
      check(`embed ${i} field ${j} name`, field.name.length, DISCORD_LIMITS.embedFieldName);
      check(`embed ${i} field ${j} value`, field.value.length, DISCORD_LIMITS.embedFieldValue);
      if (field.value.length === 0) problems.push(`embed ${i} field ${j} value is empty`);
    });
    total +=
      (embed.title?.length ?? 0) +
      (embed.description?.length ?? 0) +
      (embed.footer?.text.length ?? 0) +
      (embed.author?.name.length ?? 0) +
      fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  });
  check('embeds total', total, DISCORD_LIMITS.embedsTotal);
  for (const id of customIds(message.components ?? [])) check(`custom id ${id}`, id.length, DISCORD_LIMITS.customId);
  const ids = customIds(message.components ?? []);
  if (new Set(ids).size !== ids.length) problems.push(`duplicate custom ids: ${ids.join(', ')}`);
  return problems;
}

/** custom_ids of every button, through action rows. */
export function customIds(components: readonly unknown[]): string[] {
  return components.flatMap((component) => {
    const { custom_id: id, components: children } = component as { custom_id?: string; components?: unknown[] };
    return [...(id ? [id] : []), ...customIds(children ?? [])];
  });
}
