import type { APIEmbed } from 'discord.js';
import type { Report } from '../../community/report.js';
import type { DocumentMeta } from '../../core/types.js';
import { type MessagePayload, messagePayload } from '../sending/payload.js';
import { DISCORD_LIMITS } from './limits.js';
import { escapeSourceText, fitSourceText, truncate } from './markdown.js';
import { code, EMBED_COLOR } from './parts.js';

const SHOWN = 10;
const QUESTION_MAX = 150;
const QUOTE_MAX = 120;

/** /report: counts, then the most frequent unanswered questions (with links) and the quotes and articles marked wrong. */
export function renderReport(report: Report, lookup: (id: string) => (DocumentMeta & { text?: string }) | undefined): MessagePayload {
  const share = report.answeredShare === null ? '—' : `${Math.round(report.answeredShare * 100)}%`;
  const summary = `**${report.asked}** question${report.asked === 1 ? '' : 's'} asked in the last ${report.days} day${report.days === 1 ? '' : 's'}, **${share}** answered.`;
  const notCovered = report.notCovered.slice(0, SHOWN).map((group, i) => {
    const links = group.links.map((url, n) => `[${n + 1}](${url})`).join(' ');
    return `${i + 1}. ${fitSourceText(group.question, QUESTION_MAX, { quoted: false })} — ${group.count}×${links ? ` ${links}` : ''}`;
  });
  const wrongQuotes = report.wrongQuotes.slice(0, SHOWN).map((quote, i) => {
    const doc = lookup(quote.docId);
    const text =
      doc?.text && quote.start !== null && quote.end !== null
        ? `“${fitSourceText(doc.text.slice(quote.start, quote.end), QUOTE_MAX, { quoted: false })}” `
        : '';
    return `${i + 1}. ${text}${code(quote.docId)} — ${quote.count}×`;
  });
  const wrongArticles = report.wrongArticles.slice(0, SHOWN).map((article, i) => {
    const title = lookup(article.docId)?.title;
    return `${i + 1}. ${title ? `${escapeSourceText(truncate(title, QUESTION_MAX))} ` : ''}${code(article.docId)} — ${article.count}×`;
  });
  const section = (title: string, lines: string[], empty: string): APIEmbed => ({
    color: EMBED_COLOR,
    title,
    description: truncate(lines.length > 0 ? lines.join('\n') : empty, DISCORD_LIMITS.embedDescription),
  });
  return messagePayload({
    content: summary,
    embeds: [
      section('Not covered, most asked (near-duplicates grouped)', notCovered, 'None: every question was answered.'),
      section('Quotes marked "wrong source"', wrongQuotes, 'None.'),
      section('Articles marked "wrong source"', wrongArticles, 'None.'),
    ],
  });
}
