import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderAnswer } from '../../../src/bot/render/answer.js';
import { renderCorpusAdded, renderCorpusRefused, renderCorpusRemoved, renderCorpusStatus } from '../../../src/bot/render/corpus.js';
import { safeUrl } from '../../../src/bot/render/parts.js';
import { renderSearchPage } from '../../../src/bot/render/search-page.js';
import { renderSource, renderSourcesPage } from '../../../src/bot/render/sources.js';
import type { MessagePayload } from '../../../src/bot/sending/payload.js';
import type { Answer, AnswerResult, CorpusDocument, DocumentMeta } from '../../../src/core/types.js';
import { parseDiscordMarkdown } from '../../support/discord-markdown.js';
import { hostileString } from '../../support/hostile-strings.js';
import { expectSafe } from '../../support/render-fixtures.js';

/**
 * Every renderer fed arbitrary third-party text: each field is wrapped in markers that escaping
 * leaves alone, so the rendered message can be read with the strict model of Discord Markdown and
 * any construct whose marker stands inside a field is one the field's own text made. None may be,
 * except the `> ` the bot puts at the start of each line of a quote; links may only point at a
 * result's own (checked) URL.
 */

let fieldCount = 0;
const OPEN = (n: number) => `⟦${n}⟧`;
const CLOSE = (n: number) => `⟦/${n}⟧`;
/** Short enough that no renderer shortens it: the markers must survive. */
const field = hostileString(8).map((text) => {
  const n = fieldCount++;
  return `${OPEN(n)}${text.slice(0, 30)}${CLOSE(n)}`;
});
const url = fc.oneof(fc.constant('https://news.example/a_(b)?q=1#x'), fc.constant('javascript:alert(1)'), fc.constant(null), field);

function regions(visible: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (const match of visible.matchAll(/⟦(\d+)⟧/g)) {
    const close = visible.indexOf(CLOSE(Number(match[1])), match.index);
    found.push([match.index, close === -1 ? visible.length : close + CLOSE(Number(match[1])).length]);
  }
  // An end marker whose start was cut away: the field runs from the beginning.
  for (const match of visible.matchAll(/⟦\/(\d+)⟧/g)) {
    if (!visible.slice(0, match.index).includes(OPEN(Number(match[1])))) found.push([0, match.index + match[0].length]);
  }
  return found;
}

/** What escaped from the fields of one Markdown text: empty when nothing did. */
function leaks(markdown: string, options: { quoted?: boolean; hrefs?: Array<string | null | undefined> } = {}): string[] {
  const { visible, constructs } = parseDiscordMarkdown(markdown);
  const inside = regions(visible);
  const hrefs = new Set((options.hrefs ?? []).map((href) => safeUrl(href)).filter(Boolean));
  const problems: string[] = [];
  constructs.forEach((construct, i) => {
    if (construct.kind === 'link' && !hrefs.has(construct.href)) problems.push(`a link to ${construct.href}`);
    if (!inside.some(([start, end]) => construct.at >= start && construct.at < end)) return;
    const firstOfLine = i === 0 || constructs[i - 1]!.line !== construct.line;
    const ownQuote =
      options.quoted && construct.kind === 'quote' && firstOfLine && (construct.at === 0 || visible[construct.at - 1] === '\n');
    if (!ownQuote) problems.push(`${construct.kind} at ${construct.at} of ${JSON.stringify(visible)}`);
  });
  return problems;
}

/** Every Markdown text of a payload (footers, field names and author lines are plain text in Discord). */
function payloadLeaks(payload: MessagePayload, hrefs: Array<string | null | undefined> = []): string[] {
  expectSafe(payload);
  return [
    ...leaks(payload.content, { hrefs }),
    ...payload.embeds.flatMap((embed) => [
      ...leaks(embed.title ?? '', { hrefs }),
      ...leaks(embed.description ?? '', { hrefs, quoted: true }),
      ...(embed.fields ?? []).flatMap((f) => leaks(f.value, { hrefs })),
    ]),
  ];
}

const resultArb = fc.record({
  title: field,
  quote: field,
  publisher: fc.option(field),
  date: fc.option(field),
  docId: field,
  url,
  author: fc.option(field),
});
const documentArb = fc.record({
  id: field,
  title: field,
  publisher: fc.option(field),
  author: fc.option(field),
  date: fc.option(field),
  url,
  text: field,
});

function result(
  rank: number,
  fields: Omit<AnswerResult, 'rank' | 'score' | 'relevance' | 'start' | 'end' | 'link' | 'alsoPublishedBy'>,
): AnswerResult {
  return { rank, score: 0.5, relevance: 0.5, start: 0, end: 1, link: fields.url, alsoPublishedBy: [], ...fields };
}

function document(fields: Omit<CorpusDocument, 'path'>): CorpusDocument {
  return { path: `/corpus/${fields.id}.md`, ...fields };
}

const RUNS = { numRuns: 300 };

describe('renderers with hostile third-party text', () => {
  it('the model catches a field that is not escaped (the check can fail)', () => {
    expect(leaks(`**1.** ${OPEN(0)}see [click](https://evil.example) <@1>${CLOSE(0)}`)).toHaveLength(5);
    expect(leaks(`> ${OPEN(0)}a\n> # b${CLOSE(0)}`, { quoted: true })).toEqual([expect.stringMatching(/^heading/)]);
    expect(leaks(`> ${OPEN(0)}a\n> \\# b${CLOSE(0)}`, { quoted: true })).toEqual([]);
  });

  it('answers: quotes, titles, questions and follow-ups', () => {
    fc.assert(
      fc.property(fc.array(resultArb, { minLength: 1, maxLength: 3 }), field, field, (results, question, followUp) => {
        const answer: Answer = { question, answered: true, results: results.map((r, i) => result(i + 1, r)), nearest: [] };
        const payload = renderAnswer(
          answer,
          { prompt: { label: 'Question', text: question }, followUpTo: followUp, feedbackKey: 'k' },
          () => undefined,
        );
        expect(payloadLeaks(payload)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('"not covered" replies: the closest articles with their links', () => {
    fc.assert(
      fc.property(fc.array(documentArb, { minLength: 1, maxLength: 5 }), (documents) => {
        const answer: Answer = {
          question: 'q',
          answered: false,
          results: [],
          nearest: documents.map((d) => ({ id: d.id, title: d.title, relevance: 0.1 })),
        };
        const lookup = (id: string): DocumentMeta | undefined => documents.find((d) => d.id === id);
        expect(
          payloadLeaks(
            renderAnswer(answer, {}, lookup),
            documents.map((d) => d.url),
          ),
        ).toEqual([]);
      }),
      RUNS,
    );
  });

  it('/search pages and /sources lists', () => {
    fc.assert(
      fc.property(
        fc.array(resultArb, { minLength: 1, maxLength: 12 }),
        field,
        fc.array(documentArb, { minLength: 1, maxLength: 12 }),
        (results, query, documents) => {
          const search = renderSearchPage({ key: 'k', query, filters: [], results: results.map((r, i) => result(i + 1, r)) }, 0);
          expect(
            payloadLeaks(
              search,
              results.map((r) => r.url),
            ),
          ).toEqual([]);
          expect(
            payloadLeaks(
              renderSourcesPage(documents, 0),
              documents.map((d) => d.url),
            ),
          ).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('/source, and /corpus add, remove, status and refusals', () => {
    fc.assert(
      fc.property(
        documentArb,
        fc.option(field),
        fc.array(fc.tuple(field, field), { maxLength: 4 }),
        field,
        (fields, warning, problems, reason) => {
          const doc = document(fields);
          expect(payloadLeaks(renderSource(doc))).toEqual([]);
          expect(
            payloadLeaks(
              renderCorpusAdded({ ...doc, text: `The council met on Monday. ${doc.text} The vote passed.` }, 'imported', warning),
            ),
          ).toEqual([]);
          expect(payloadLeaks(renderCorpusRemoved(doc, 3))).toEqual([]);
          expect(payloadLeaks(renderCorpusRefused(reason))).toEqual([]);
          const status = {
            documents: 1,
            folders: Object.fromEntries(problems.map(([folder], i) => [folder, i])),
            chunks: 2,
            lastIngest: '2024-03-04T10:00:00.000Z',
            pending: 0,
            skipped: problems.map(([file, why]) => ({ file, reason: why })),
            warnings: problems.map(([file, message]) => ({ file, message })),
          };
          expect(payloadLeaks(renderCorpusStatus(status, 1))).toEqual([]);
        },
      ),
      RUNS,
    );
  });
});
