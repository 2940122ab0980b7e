import { type APIActionRowComponent, type APIButtonComponent, type APIEmbed, ButtonStyle, ComponentType } from 'discord.js';
import { copiesLine } from '../../core/citation.js';
import type { Answer, DocumentMeta } from '../../core/types.js';
import { BUTTON_NAMESPACES, encodeCustomId } from '../buttons/custom-ids.js';
import { type MessagePayload, messagePayload } from '../sending/payload.js';
import { DISCORD_LIMITS } from './limits.js';
import { escapeSourceText, fitSourceText, truncate } from './markdown.js';
import { resultText } from './metadata-answer.js';
import { ATTRIBUTION_MAX, attribution, EMBED_COLOR, LIST_LINE_MAX, listLine, safeUrl } from './parts.js';

const NOT_COVERED_COLOR = 0x9aa0a6;
/** Long enough for a paragraph, short enough that five quotes stay readable. */
const QUOTE_DISPLAY_MAX = 900;
/** "First reported by …; also published by …" under the attribution. */
const COPIES_MAX = 300;

export type DocumentLookup = (id: string) => DocumentMeta | undefined;

export interface AnswerView {
  /** What was asked, shown above the quotes when the reply does not already sit under it. */
  prompt?: { label: 'Question' | 'Claim'; text: string };
  /** The earlier thread question a follow-up was read together with. */
  followUpTo?: string;
  /** A line of the bot's own, e.g. why the answer is not in a thread. */
  note?: string;
  /** Session key behind the per-quote Helpful / Wrong source buttons (and Share to channel). */
  feedbackKey?: string;
  /** A private answer gets a "Share to channel" button. */
  shareable?: boolean;
  /** Who shared this answer to the channel (shown as a mention that pings nobody). */
  sharedBy?: string;
}

/** Quotes with attribution, or a "not covered" reply naming the closest articles. */
export function renderAnswer(answer: Answer, view: AnswerView, lookup: DocumentLookup): MessagePayload {
  const content = answerHeading(view);
  if (!answer.answered || answer.results.length === 0) return renderNotCovered(answer, lookup, content);
  const results = answer.results.slice(0, DISCORD_LIMITS.embedsPerMessage);
  const frames = results.map((result) => ({
    title: `${result.rank}. ${fitSourceText(result.title, DISCORD_LIMITS.embedTitle - 5, { quoted: false })}`,
    // Footers are plain text: the copies' outlets need no escaping there.
    footer: [truncate(attribution(result.publisher, result.date, result.docId, result.author), ATTRIBUTION_MAX), copiesLine(result)]
      .filter((line): line is string => line !== null)
      .map((line) => truncate(line, COPIES_MAX))
      .join('\n'),
  }));
  const frameLength = frames.reduce((sum, frame) => sum + frame.title.length + frame.footer.length, 0);
  const quoteBudget = Math.min(QUOTE_DISPLAY_MAX, Math.floor((DISCORD_LIMITS.embedsTotal - frameLength) / results.length));
  const embeds = results.map((result, index): APIEmbed => {
    const frame = frames[index]!;
    return {
      color: EMBED_COLOR,
      title: frame.title,
      url: safeUrl(result.link ?? result.url),
      description: resultText(result, quoteBudget, { quoted: true }),
      footer: { text: frame.footer },
    };
  });
  const components = view.feedbackKey ? answerButtons(view.feedbackKey, results.length, view.shareable ?? false) : [];
  return messagePayload({ content, embeds, components });
}

function answerHeading(view: AnswerView): string {
  const lines: string[] = [];
  if (view.prompt) lines.push(`**${view.prompt.label}:** ${escapeSourceText(view.prompt.text)}`);
  if (view.followUpTo) lines.push(`*Read as a follow-up to:* ${escapeSourceText(view.followUpTo)}`);
  if (view.note) lines.push(`*${view.note}*`);
  if (view.sharedBy) lines.push(`*Shared by <@${view.sharedBy}>*`);
  return truncate(lines.join('\n'), DISCORD_LIMITS.content);
}

function renderNotCovered(answer: Answer, lookup: DocumentLookup, content: string): MessagePayload {
  const closest = answer.nearest.slice(0, 5).map((near) => {
    const meta = lookup(near.id);
    return `• ${listLine(meta?.title ?? near.title, meta?.url ?? null, [meta?.publisher ?? null, meta?.date ?? null], near.id, LIST_LINE_MAX)}`;
  });
  const description = [
    "I couldn't find a passage in the articles that answers this, so I won't guess.",
    ...(closest.length > 0 ? ['', 'The closest articles are:', ...closest] : []),
    '',
    'Try rephrasing the question, or browse what is covered with `/sources`.',
  ].join('\n');
  const embed: APIEmbed = {
    color: NOT_COVERED_COLOR,
    title: 'Not covered by the articles',
    description: truncate(description, DISCORD_LIMITS.embedDescription),
  };
  return messagePayload({ content, embeds: [embed] });
}

/** The verdicts a quote can get; the letter rides in the custom id. */
export const VERDICT_CODES = { helpful: 'h', wrong: 'w' } as const;

/**
 * One row of "Helpful" and one of "Wrong source" buttons, a button per quote (numbered when there
 * are several), then Share to channel for a private answer. Five quotes fill a row exactly.
 */
function answerButtons(key: string, quotes: number, shareable: boolean): Array<APIActionRowComponent<APIButtonComponent>> {
  const shown = Math.min(quotes, 5);
  const row = (verdict: keyof typeof VERDICT_CODES): APIActionRowComponent<APIButtonComponent> => ({
    type: ComponentType.ActionRow,
    components: Array.from({ length: shown }, (_, i) => ({
      type: ComponentType.Button,
      style: verdict === 'helpful' ? ButtonStyle.Success : ButtonStyle.Secondary,
      label: `${verdict === 'helpful' ? 'Helpful' : 'Wrong source'}${shown > 1 ? ` #${i + 1}` : ''}`,
      emoji: { name: verdict === 'helpful' ? '👍' : '👎' },
      custom_id: encodeCustomId(BUTTON_NAMESPACES.feedback, key, i, VERDICT_CODES[verdict]),
    })),
  });
  const rows = [row('helpful'), row('wrong')];
  if (shareable) {
    rows.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Primary,
          label: 'Share to channel',
          emoji: { name: '📣' },
          custom_id: encodeCustomId(BUTTON_NAMESPACES.share, key),
        },
      ],
    });
  }
  return rows;
}
