import { ButtonStyle } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { Answer, AnswerResult, DocumentMeta } from '../../src/core/types.js';
import { decodeCustomId } from '../../src/bot/custom-ids.js';
import { escapeSourceText } from '../../src/bot/markdown.js';
import {
  NO_PINGS,
  SEARCH_PAGE_SIZE,
  pagerRow,
  renderAnswer,
  renderHelp,
  renderNotice,
  renderSearchPage,
  renderSource,
  renderSourcesPage,
  safeUrl,
  type MessagePayload,
} from '../../src/bot/render.js';
import { customIds, limitViolations } from './discord-limits.js';
import { corpusDocument } from './stub-engine.js';

const HOSTILE = '@everyone <@123> <@&456> <#789> **bold** [click](https://evil.example) ```js\nalert(1)\n``` # heading';

function result(rank: number, fields: Partial<AnswerResult> = {}): AnswerResult {
  return {
    rank,
    docId: `doc-${rank}`,
    title: `Article ${rank}`,
    publisher: 'Prensa Latina',
    author: null,
    date: '2020-09-28',
    url: `https://news.example/${rank}`,
    score: 0.7,
    quote: `Quote number ${rank} says something.`,
    start: 10,
    end: 40,
    ...fields,
  };
}

function answered(results: AnswerResult[], question = 'What happened?'): Answer {
  return { question, answered: true, results, nearest: [] };
}

const noLookup = () => undefined;

function expectSafe(payload: MessagePayload): void {
  expect(limitViolations(payload)).toEqual([]);
  expect(payload.allowedMentions).toEqual(NO_PINGS);
  expect(payload.allowedMentions.parse).toEqual([]);
}

describe('renderAnswer', () => {
  it('quotes each result in a blockquote, links the title and attributes publisher · date · id', () => {
    const payload = renderAnswer(answered([result(1), result(2)]), { prompt: { label: 'Question', text: 'What happened?' }, feedbackKey: 'k1' }, noLookup);
    expect(payload.content).toBe('**Question:** What happened?');
    expect(payload.embeds).toHaveLength(2);
    const [first] = payload.embeds;
    expect(first).toMatchObject({
      title: '1. Article 1',
      url: 'https://news.example/1',
      description: '> Quote number 1 says something.',
      footer: { text: 'Prensa Latina · 2020-09-28 · doc-1' },
    });
    expectSafe(payload);
  });

  it('adds Helpful / Not helpful buttons carrying the session key', () => {
    const payload = renderAnswer(answered([result(1)]), { feedbackKey: 'abc' }, noLookup);
    const buttons = payload.components[0]!.components;
    expect(buttons.map((button) => ('label' in button ? button.label : ''))).toEqual(['Helpful', 'Not helpful']);
    expect(customIds(payload.components).map(decodeCustomId)).toEqual([
      { namespace: 'feedback', parts: ['abc', '1'] },
      { namespace: 'feedback', parts: ['abc', '0'] },
    ]);
    expect(buttons[0]!.style).toBe(ButtonStyle.Success);
  });

  it('skips unknown attribution parts and unusable URLs', () => {
    const payload = renderAnswer(answered([result(1, { publisher: null, date: null, url: 'javascript:alert(1)' })]), {}, noLookup);
    expect(payload.embeds[0]!.footer?.text).toBe('doc-1');
    expect(payload.embeds[0]!.url).toBeUndefined();
  });

  it('shortens long quotes at a sentence boundary with an ellipsis', () => {
    const sentence = 'This sentence is about forty characters. ';
    const quote = sentence.repeat(60).trim();
    const payload = renderAnswer(answered([result(1, { quote })]), {}, noLookup);
    const description = payload.embeds[0]!.description!;
    expect(description.length).toBeLessThan(quote.length);
    expect(description).toMatch(/characters\. …$/);
    expectSafe(payload);
  });

  it('escapes hostile quotes, titles and questions so they cannot format or ping', () => {
    const payload = renderAnswer(
      answered([result(1, { quote: HOSTILE, title: HOSTILE })], HOSTILE),
      { prompt: { label: 'Question', text: HOSTILE } },
      noLookup,
    );
    const texts = [payload.content, payload.embeds[0]!.title!, payload.embeds[0]!.description!];
    for (const text of texts) {
      expect(text).not.toMatch(/@everyone|<@\d|<@&|<#\d/);
      expect(text).not.toMatch(/(^|[^\\])```/);
      expect(text).not.toMatch(/(^|[^\\])\*\*bold/);
      expect(text).not.toMatch(/(^|[^\\])\[click\]/);
    }
    expect(payload.embeds[0]!.description).toContain('> ');
    expectSafe(payload);
  });

  it('stays within every limit with ten huge results', () => {
    const huge = (rank: number) =>
      result(rank, { title: 'T'.repeat(1000), quote: `${'Long sentence here. '.repeat(400)}${HOSTILE}`, publisher: 'P'.repeat(3000), docId: 'd'.repeat(200) });
    const payload = renderAnswer(answered(Array.from({ length: 12 }, (_, i) => huge(i + 1))), { prompt: { label: 'Question', text: 'q'.repeat(5000) } }, noLookup);
    expect(payload.embeds).toHaveLength(10);
    expectSafe(payload);
  });

  it('says "not covered" and names the closest articles instead of weak quotes', () => {
    const documents: DocumentMeta[] = [corpusDocument('near-1', { title: 'Wheat shipments' }), corpusDocument('near-2', { title: 'Oil talks', url: null })];
    const answer: Answer = {
      question: 'What is the capital of Australia?',
      answered: false,
      results: [],
      nearest: [
        { id: 'near-1', title: 'Wheat shipments', score: 0.1 },
        { id: 'near-2', title: 'Oil talks', score: 0.09 },
      ],
    };
    const payload = renderAnswer(answer, { feedbackKey: 'ignored' }, (id) => documents.find((doc) => doc.id === id));
    expect(payload.embeds).toHaveLength(1);
    expect(payload.embeds[0]!.title).toBe('Not covered by the articles');
    expect(payload.embeds[0]!.description).toContain('[Wheat shipments](https://news.example/near-1) · The Daily Test · 2023-04-20 · `near-1`');
    expect(payload.embeds[0]!.description).toContain('**Oil talks** · The Daily Test · 2023-04-20 · `near-2`');
    expect(payload.components).toEqual([]);
    expectSafe(payload);
  });
});

describe('renderSearchPage', () => {
  const results = Array.from({ length: 23 }, (_, i) => result(i + 1, { docId: `doc-${i % 3}` }));
  const view = { key: 'key1', query: 'wheat', filters: ['publisher “tass”'], results };

  it('lists ten passages per page with Previous / page / Next buttons', () => {
    const first = renderSearchPage(view, 0, 'search');
    expect(first.embeds[0]!.description!.match(/^\*\*\d+\.\*\*/gm)).toHaveLength(SEARCH_PAGE_SIZE);
    expect(first.embeds[0]!.footer!.text).toBe('Page 1/3 · 23 passages · publisher “tass”');
    const [previous, at, next] = first.components[0]!.components;
    expect(previous).toMatchObject({ label: 'Previous', disabled: true });
    expect(at).toMatchObject({ label: '1 / 3', disabled: true });
    expect(next).toMatchObject({ label: 'Next', disabled: false, custom_id: 'search:key1:1:next' });
    expectSafe(first);

    const last = renderSearchPage(view, 2, 'search');
    expect(last.embeds[0]!.description).toMatch(/^\*\*21\.\*\*/);
    expect(last.components[0]!.components[2]).toMatchObject({ disabled: true });
    expect(last.components[0]!.components[0]).toMatchObject({ custom_id: 'search:key1:1:prev', disabled: false });
  });

  it('clamps out-of-range pages and omits buttons for a single page', () => {
    expect(renderSearchPage(view, 99, 'search').embeds[0]!.footer!.text).toMatch(/^Page 3\/3/);
    expect(renderSearchPage({ ...view, results: results.slice(0, 4) }, 0, 'search').components).toEqual([]);
  });

  it('stays within limits with long hostile passages and URLs', () => {
    const hostile = results.map((r) => ({ ...r, quote: `${HOSTILE} ${'x'.repeat(2000)}`, title: HOSTILE.repeat(5), url: `https://e.example/${'p'.repeat(3000)}` }));
    expectSafe(renderSearchPage({ ...view, query: HOSTILE.repeat(20), results: hostile }, 1, 'search'));
  });
});

describe('renderSourcesPage and renderSource', () => {
  const documents = Array.from({ length: 14 }, (_, i) => corpusDocument(`doc-${String(i).padStart(2, '0')}`));

  it('lists titles with publisher, date and id, ten per page', () => {
    const page = renderSourcesPage(documents, 1, 'sources');
    expect(page.embeds[0]!.title).toBe('Articles I can quote (14)');
    expect(page.embeds[0]!.description!.split('\n')).toHaveLength(4);
    expect(page.embeds[0]!.description).toContain('**11.** [Title of doc-10](https://news.example/doc-10) · The Daily Test · 2023-04-20 · `doc-10`');
    expect(page.components[0]!.components[0]).toMatchObject({ custom_id: 'sources:all:0:prev', disabled: false });
    expectSafe(page);
  });

  it('shows one article with its opening lines, escaped', () => {
    const document = corpusDocument('doc-x', { text: `# *Headline*\n\n\n${HOSTILE}\n${'Body sentence. '.repeat(200)}`, author: null });
    const payload = renderSource(document);
    const embed = payload.embeds[0]!;
    expect(embed.description).toMatch(/^> \\# \\\*Headline\\\*\n> \n/);
    expect(embed.description).not.toMatch(/@everyone|<@\d/);
    expect(embed.fields).toContainEqual({ name: 'Author', value: '—', inline: true });
    expect(embed.fields).toContainEqual({ name: 'Document id', value: '`doc-x`', inline: false });
    expectSafe(payload);
  });
});

describe('other payloads', () => {
  it('help, notices and pager rows are within limits and never ping', () => {
    expectSafe(renderHelp([{ usage: '/ask question:…', summary: 'Ask' }], [{ usage: 'Find sources', summary: 'finds' }]));
    expectSafe(renderNotice('x'.repeat(5000)));
    expect(new Set(customIds([pagerRow('search', 'k', 0, 1)])).size).toBe(3);
  });

  it('accepts only http(s) URLs and keeps them intact inside markdown links', () => {
    expect(safeUrl('https://a.example/x_(y)')).toBe('https://a.example/x_%28y%29');
    expect(safeUrl('ftp://a.example')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
    expect(safeUrl(null)).toBeUndefined();
  });

  it('escapes the same way everywhere a quote appears', () => {
    const quote = 'Plain quote with “curly” marks and 25,000 tonnes.';
    const payload = renderAnswer(answered([result(1, { quote })]), {}, noLookup);
    expect(payload.embeds[0]!.description).toBe(`> ${escapeSourceText(quote)}`);
  });
});
