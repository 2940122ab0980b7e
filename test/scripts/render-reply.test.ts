import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askReply, EXAMPLES, withSeedIndex } from '../../scripts/readme-examples.js';
import { findChromium, PICTURE, screenshot } from '../../scripts/render-reply.js';
import { PAGE_WIDTH, replyHtml, replyMarkup } from '../../scripts/reply-html.js';
import { renderAnswer } from '../../src/bot/render/answer.js';
import type { MessagePayload } from '../../src/bot/sending/payload.js';
import type { Answer } from '../../src/core/types.js';
import { answered, noLookup, result } from '../support/render-fixtures.js';

/** The picture's page as a DOM, and the words a reader sees in each embed's description. */
function parsed(html: string) {
  const { document } = parseHTML(html);
  const embeds = [...document.querySelectorAll('discord-embed')];
  const seen = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
  return { document, embeds, descriptions: embeds.map((embed) => seen(embed.querySelector('discord-embed-description'))) };
}

/** Width, height and size of a PNG file. */
function png(file: string) {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), bytes: statSync(file).size };
}

describe('the HTML of a reply', () => {
  it("shows an article's text as written, and none of it becomes markup, a link or a mention", () => {
    const quote = '@everyone <@123> **bold** [click](https://evil.example) <img src=x onerror=alert(1)> & `code` # not a heading.';
    const reply = renderAnswer(
      answered([result(1, { quote, title: '<script>alert(1)</script> *Title*', author: 'A <b>Writer</b>' })]),
      { feedbackKey: 'k' },
      noLookup,
    );
    const { document, embeds, descriptions } = parsed(replyMarkup(reply));
    expect(descriptions).toEqual([quote]);
    expect(embeds[0]!.getAttribute('embed-title')).toBe('1. <script>alert(1)</script> *Title*');
    expect(embeds[0]!.querySelector('discord-embed-footer')!.textContent).toContain('by A <b>Writer</b>');
    expect(document.querySelectorAll('img, script, b, discord-link, discord-mention')).toHaveLength(0);
    expect([...document.querySelectorAll('discord-button')].map((button) => [button.getAttribute('type'), button.textContent])).toEqual([
      ['success', '👍 Helpful'],
      ['secondary', '👎 Wrong source'],
    ]);
  });

  it("draws the bot's Markdown: the question in bold, the quote as a blockquote, closest articles as links", () => {
    const notCovered: Answer = {
      question: 'q',
      answered: false,
      results: [],
      nearest: [{ id: 'doc-1', title: 'Closest one', relevance: 0.1 }],
    };
    const lookup = () => ({ id: 'doc-1', title: 'Closest one', url: 'https://news.example/1', publisher: null, author: null, date: null });
    const { document } = parsed(
      replyMarkup(renderAnswer(notCovered, { prompt: { label: 'Question', text: 'Where?' } }, lookup) as MessagePayload),
    );
    expect(document.querySelector('discord-bold')!.textContent).toBe('Question:');
    expect(document.querySelector('discord-link')!.getAttribute('href')).toBe('https://news.example/1');
    expect(document.querySelector('discord-embed')!.getAttribute('embed-title')).toBe('Not covered by the articles');
    const { document: quoted } = parsed(replyMarkup(renderAnswer(answered([result(1)]), {}, noLookup)));
    expect(quoted.querySelector('discord-embed-description discord-quote')!.textContent).toBe('Quote number 1 says something.');
  });
});

describe("the picture of the README's /ask reply (real models, seed articles)", () => {
  const question = EXAMPLES['discord-ask']!.questions[0]!;
  let answer: Answer;
  let html: string;
  const out = mkdtempSync(path.join(tmpdir(), 'render-reply-'));

  beforeAll(async () => {
    const asked = await withSeedIndex((env) => askReply(question, env));
    answer = asked.answer;
    html = await replyHtml(asked.reply);
  }, 300_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('puts the first quote, its title and the buttons on a page that needs nothing from the network', () => {
    const first = answer.results[0]!;
    const { document, embeds, descriptions } = parsed(html);
    expect(descriptions[0]).toContain(first.quote!.replace(/\s+/g, ' ').trim());
    expect(embeds[0]!.getAttribute('embed-title')).toContain(first.title.slice(0, 40));
    expect(document.querySelectorAll('discord-button')).toHaveLength(2 * answer.results.length); // Helpful and Wrong source for each result
    // The components are inline and the avatars data: URIs (screenshot() also fails on any request).
    expect([...document.querySelectorAll('script')].map((script) => script.getAttribute('src'))).toEqual([null, null]);
    expect([...document.querySelectorAll('[avatar]')].map((element) => element.getAttribute('avatar')!.slice(0, 5))).toEqual(['data:']);
  });

  const chromium = findChromium();
  const why = 'Chromium is not on PATH (apt-get install chromium)';
  if (!chromium && process.env.CI !== 'true') process.stderr.write(`skipping the PNG test: ${why}\n`);
  it.skipIf(!chromium && process.env.CI !== 'true')(
    `draws it as a PNG in headless Chromium${chromium ? '' : ` (skipped: ${why})`}`,
    async () => {
      if (!chromium) throw new Error(`CI=true: ${why}`);
      const file = path.join(out, 'reply.png');
      await screenshot(html, file, chromium);
      const drawn = png(file);
      expect(drawn.width).toBe(PAGE_WIDTH);
      expect(drawn.height).toBeGreaterThan(200);
      expect(drawn.bytes).toBeLessThan(300 * 1024);
    },
    120_000,
  );

  it('the committed picture is a PNG of that width, under 300 KB', () => {
    const committed = png(PICTURE);
    expect(committed.width).toBe(PAGE_WIDTH);
    expect(committed.bytes).toBeLessThan(300 * 1024);
  });
});
