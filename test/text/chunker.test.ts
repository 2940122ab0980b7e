import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractMetadata } from '../../src/corpus/metadata.js';
import { chunkSentences, DEFAULT_CHUNKER } from '../../src/text/chunker.js';
import { contiguous, proseSentences } from '../../src/text/prose.js';
import { splitSentences } from '../../src/text/sentences.js';
import { SEEDS } from '../support/helpers.js';

const seeds = readdirSync(SEEDS).map((file) => readFileSync(path.join(SEEDS, file), 'utf8'));

describe('sentences', () => {
  it('never cross a line break and carry exact, trimmed offsets', () => {
    const text = 'Headline without a stop\n\nFirst sentence here. Second one!\r\nThird?';
    const spans = splitSentences(text).map((s) => text.slice(s.start, s.end));
    expect(spans).toEqual(['Headline without a stop', 'First sentence here.', 'Second one!', 'Third?']);
  });

  it('do not end at a title abbreviation', () => {
    const text = '“That is all,” Ms. Bogner said. Then she left.';
    expect(splitSentences(text).map((s) => text.slice(s.start, s.end))).toEqual(['“That is all,” Ms. Bogner said.', 'Then she left.']);
  });

  it('drop headings, bylines, captions and labelled metadata from what can be quoted', () => {
    const text =
      '# *Title*\n\n---\n\nBy Jo Smith\n\n**A caption. Photo: Agency**\n\nHavana, (Agency - 1 May, 2020 ) :The real first sentence starts here.\n\nSource URL: <http://x.org>';
    const prose = proseSentences(text, splitSentences(text), 'Title').map((s) => text.slice(s.start, s.end));
    expect(prose).toEqual(['The real first sentence starts here.']);
  });

  it('tell when two quotable sentences can be quoted together', () => {
    const text = 'One two three four. Five six seven eight.\nHeading line\nNine ten eleven twelve.';
    const [a, b, c] = proseSentences(text, splitSentences(text));
    expect(contiguous(text, a!, b!)).toBe(true);
    expect(contiguous(text, b!, c!)).toBe(false);
  });
});

describe('chunks of the seed articles', () => {
  it('each equal text.slice(start, end) and stay within the size limit unless one sentence is longer', () => {
    for (const text of seeds) {
      const sentences = proseSentences(text, splitSentences(text), extractMetadata(text).title);
      const chunks = chunkSentences(sentences);
      expect(chunks.length).toBeGreaterThan(0);
      for (const chunk of chunks) {
        expect(chunk.start).toBe(sentences[chunk.firstSentence]!.start);
        expect(chunk.end).toBe(sentences[chunk.lastSentence - 1]!.end);
        const length = chunk.end - chunk.start;
        if (chunk.lastSentence - chunk.firstSentence > 1) expect(length).toBeLessThanOrEqual(DEFAULT_CHUNKER.maxChars);
        expect(text.slice(chunk.start, chunk.end).trim()).toBe(text.slice(chunk.start, chunk.end));
      }
    }
  });

  it('cover every sentence and overlap by the configured number of sentences', () => {
    for (const text of seeds) {
      const sentences = splitSentences(text);
      const chunks = chunkSentences(sentences, { version: 1, maxChars: 300, overlapSentences: 1 });
      const covered = new Set(
        chunks.flatMap((c) => Array.from({ length: c.lastSentence - c.firstSentence }, (_, i) => c.firstSentence + i)),
      );
      expect(covered.size).toBe(sentences.length);
      for (let i = 1; i < chunks.length; i++) {
        const previous = chunks[i - 1]!;
        const current = chunks[i]!;
        expect(current.firstSentence).toBeGreaterThan(previous.firstSentence);
        if (previous.lastSentence - previous.firstSentence > 1) expect(current.firstSentence).toBe(previous.lastSentence - 1);
      }
    }
  });
});
