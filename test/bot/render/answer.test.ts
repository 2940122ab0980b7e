import { ButtonStyle } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { decodeCustomId } from '../../../src/bot/buttons/custom-ids.js';
import { renderAnswer } from '../../../src/bot/render/answer.js';
import { escapeSourceText } from '../../../src/bot/render/markdown.js';
import type { Answer, DocumentMeta } from '../../../src/core/types.js';
import { customIds } from '../../support/discord-limits.js';
import { answered, expectSafe, HOSTILE, liveMentions, noLookup, result } from '../../support/render-fixtures.js';
import { corpusDocument } from '../../support/stub-engine.js';

describe('renderAnswer', () => {
  it('quotes each result in a blockquote, links the title and attributes publisher · date · id', () => {
    const payload = renderAnswer(
      answered([result(1), result(2)]),
      { prompt: { label: 'Question', text: 'What happened?' }, feedbackKey: 'k1' },
      noLookup,
    );
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

  it('adds Helpful / Wrong source buttons for a single quote, carrying the session key, quote index and verdict', () => {
    const payload = renderAnswer(answered([result(1)]), { feedbackKey: 'abc' }, noLookup);
    const labels = payload.components.map((row) => row.components.map((button) => ('label' in button ? button.label : '')));
    expect(labels).toEqual([['Helpful'], ['Wrong source']]);
    expect(customIds(payload.components).map(decodeCustomId)).toEqual([
      { namespace: 'feedback', parts: ['abc', '0', 'h'] },
      { namespace: 'feedback', parts: ['abc', '0', 'w'] },
    ]);
    expect(payload.components[0]!.components[0]!.style).toBe(ButtonStyle.Success);
  });

  it('numbers one button per quote when there are several, and adds Share to channel to a private answer', () => {
    const payload = renderAnswer(answered([result(1), result(2), result(3)]), { feedbackKey: 'abc', shareable: true }, noLookup);
    const labels = payload.components.map((row) => row.components.map((button) => ('label' in button ? button.label : '')));
    expect(labels).toEqual([
      ['Helpful #1', 'Helpful #2', 'Helpful #3'],
      ['Wrong source #1', 'Wrong source #2', 'Wrong source #3'],
      ['Share to channel'],
    ]);
    expect(decodeCustomId(customIds(payload.components).at(-1)!)).toEqual({ namespace: 'share', parts: ['abc'] });
    expectSafe(payload);
  });

  it('says who shared an answer without pinging them', () => {
    const payload = renderAnswer(
      answered([result(1)]),
      { prompt: { label: 'Question', text: 'Q?' }, sharedBy: '123456789012345678' },
      noLookup,
    );
    expect(payload.content).toBe('**Question:** Q?\n*Shared by <@123456789012345678>*');
    expect(payload.allowedMentions).toEqual({ parse: [], repliedUser: false });
  });

  it('names the author first in the attribution when it is known', () => {
    const payload = renderAnswer(answered([result(1, { author: 'Ana Ruiz, Tom Lee' })]), {}, noLookup);
    expect(payload.embeds[0]!.footer?.text).toBe('by Ana Ruiz, Tom Lee · Prensa Latina · 2020-09-28 · doc-1');
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
      expect(liveMentions(text)).toEqual([]);
      expect(text).not.toMatch(/(^|[^\\])```/);
      expect(text).not.toMatch(/(^|[^\\])\*\*bold/);
      expect(text).not.toMatch(/(^|[^\\])\[click\]/);
    }
    expect(payload.embeds[0]!.description).toContain('> ');
    expectSafe(payload);
  });

  it('stays within every limit with ten huge results', () => {
    const huge = (rank: number) =>
      result(rank, {
        title: 'T'.repeat(1000),
        quote: `${'Long sentence here. '.repeat(400)}${HOSTILE}`,
        publisher: 'P'.repeat(3000),
        docId: 'd'.repeat(200),
      });
    const payload = renderAnswer(
      answered(Array.from({ length: 12 }, (_, i) => huge(i + 1))),
      { prompt: { label: 'Question', text: 'q'.repeat(5000) } },
      noLookup,
    );
    expect(payload.embeds).toHaveLength(10);
    expectSafe(payload);
  });

  it('says "not covered" and names the closest articles instead of weak quotes', () => {
    const documents: DocumentMeta[] = [
      corpusDocument('near-1', { title: 'Wheat shipments' }),
      corpusDocument('near-2', { title: 'Oil talks', url: null }),
    ];
    const answer: Answer = {
      question: 'What is the capital of Australia?',
      answered: false,
      results: [],
      nearest: [
        { id: 'near-1', title: 'Wheat shipments', relevance: 0.1 },
        { id: 'near-2', title: 'Oil talks', relevance: 0.09 },
      ],
    };
    const payload = renderAnswer(answer, { feedbackKey: 'ignored' }, (id) => documents.find((doc) => doc.id === id));
    expect(payload.embeds).toHaveLength(1);
    expect(payload.embeds[0]!.title).toBe('Not covered by the articles');
    expect(payload.embeds[0]!.description).toContain(
      '[Wheat shipments](https://news.example/near-1) · The Daily Test · 2023-04-20 · `near-1`',
    );
    expect(payload.embeds[0]!.description).toContain('**Oil talks** · The Daily Test · 2023-04-20 · `near-2`');
    expect(payload.components).toEqual([]);
    expectSafe(payload);
  });

  it('escapes the same way everywhere a quote appears', () => {
    const quote = 'Plain quote with “curly” marks and 25,000 tonnes.';
    const payload = renderAnswer(answered([result(1, { quote })]), {}, noLookup);
    expect(payload.embeds[0]!.description).toBe(`> ${escapeSourceText(quote)}`);
  });

  it('shows the metadata that answers, marked as such, when the article has no line to quote', () => {
    const fromMetadata = result(1, { author: `Priya ${HOSTILE}`, quote: null, start: null, end: null, fromMetadata: 'author' });
    const payload = renderAnswer(answered([fromMetadata]), {}, noLookup);
    const description = payload.embeds[0]!.description!;
    expect(description).toBe(`**Author:** Priya ${escapeSourceText(HOSTILE)} *(from the article's metadata; its text does not state it)*`);
    expect(description).not.toMatch(/^>/m);
    expectSafe(payload);
  });
});
