import type { APIEmbed } from 'discord.js';
import { type MessagePayload, messagePayload } from '../sending/payload.js';
import { DISCORD_LIMITS } from './limits.js';
import { truncate } from './markdown.js';
import { EMBED_COLOR } from './parts.js';

export interface HelpEntry {
  usage: string;
  summary: string;
}

export function renderHelp(entries: readonly HelpEntry[], contextMenus: readonly HelpEntry[]): MessagePayload {
  const description = [
    'I answer questions about a fixed set of news articles by **quoting them word for word**, with the title, publisher, date and document id of every quote. I never write answers of my own: if the articles do not cover a question, I say so and name the closest articles.',
    '',
    '**Commands**',
    ...entries.map((entry) => `\`${entry.usage}\` — ${entry.summary}`),
    '',
    '**On a message** (right-click or long-press → Apps)',
    ...contextMenus.map((entry) => `**${entry.usage}** — ${entry.summary}`),
    '',
    '**Mention me**',
    'Write `@bot your question` in a channel or thread and I reply there. In a thread, a short follow-up such as "and what about the wheat?" is read together with the question asked earlier in that thread.',
    '',
    'Under each answer, **Helpful** / **Not helpful** tell the maintainers how the quotes worked out.',
  ].join('\n');
  const embed: APIEmbed = {
    color: EMBED_COLOR,
    title: 'How to use me',
    description: truncate(description, DISCORD_LIMITS.embedDescription),
  };
  return messagePayload({ embeds: [embed] });
}
