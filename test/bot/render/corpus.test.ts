import { describe, expect, it } from 'vitest';
import { renderCorpusRefused, renderCorpusRemoved } from '../../../src/bot/render/corpus.js';
import { parseDiscordMarkdown } from '../../support/discord-markdown.js';
import { expectSafe } from '../../support/render-fixtures.js';
import { corpusDocument } from '../../support/stub-engine.js';

const kinds = (markdown: string) => parseDiscordMarkdown(markdown).constructs.map((c) => c.kind);

describe('/corpus replies', () => {
  it('a refusal shows a remote status line and an attachment name as text, not as Markdown', () => {
    const status = renderCorpusRefused('http-status: https://news.example/x answered 403 [log in](https://evil.example) @everyone');
    expect(status.content).toBe(
      'Nothing was added: http-status: https\\://news.example/x answered 403 \\[log in\\](https\\://evil.example) \\@everyone',
    );
    expect(kinds(status.content)).toEqual([]);
    const named = renderCorpusRefused('unsupported-type: -# <t:1:R> ||x||.pdf: only .md, .txt, .html, .htm files can be added');
    expect(kinds(named.content)).toEqual([]);
    expectSafe(named);
  });

  it("a removed article's id cannot break out of its code span", () => {
    const payload = renderCorpusRemoved(corpusDocument('a`b [x](https://evil.example)'), 2);
    expect(kinds(payload.content)).toEqual(['emphasis', 'emphasis', 'emphasis', 'emphasis']);
  });
});
