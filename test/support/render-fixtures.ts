import { expect } from 'vitest';
import { type MessagePayload, NO_PINGS } from '../../src/bot/sending/payload.js';
import type { Answer, AnswerResult } from '../../src/core/types.js';
import { limitViolations } from './discord-limits.js';
import { parseDiscordMarkdown } from './discord-markdown.js';

/** Text that would ping, format, link and fence if it reached Discord unescaped. */
export const HOSTILE = '@everyone <@123> <@&456> <#789> **bold** [click](https://evil.example) ```js\nalert(1)\n``` # heading';

export function result(rank: number, fields: Partial<AnswerResult> = {}): AnswerResult {
  // Without a link of its own, a result links to its URL (hostile URLs reach the link too).
  const url = fields.url !== undefined ? fields.url : `https://news.example/${rank}`;
  return {
    rank,
    docId: `doc-${rank}`,
    title: `Article ${rank}`,
    publisher: 'Prensa Latina',
    author: null,
    date: '2020-09-28',
    url,
    link: url,
    alsoPublishedBy: [],
    score: 0.7,
    relevance: 0.5,
    quote: `Quote number ${rank} says something.`,
    start: 10,
    end: 40,
    ...fields,
  };
}

export function answered(results: AnswerResult[], question = 'What happened?'): Answer {
  return { question, answered: true, results, nearest: [] };
}

export const noLookup = () => undefined;

/** Within every Discord limit, and pinging nobody. */
export function expectSafe(payload: MessagePayload): void {
  expect(limitViolations(payload)).toEqual([]);
  expect(payload.allowedMentions).toEqual(NO_PINGS);
  expect(payload.allowedMentions.parse).toEqual([]);
}

/** Mentions and `<…>` tokens (user, role, channel, timestamp…) that Discord would render in `markdown`. */
export function liveMentions(markdown: string): string[] {
  return parseDiscordMarkdown(markdown)
    .constructs.filter((c) => c.kind === 'mention' || c.kind === 'angle')
    .map((c) => c.kind);
}
