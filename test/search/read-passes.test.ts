import { describe, expect, it } from 'vitest';
import type { ReaderVerdict } from '../../src/embedding/reader.js';
import { readInPasses } from '../../src/search/read-passes.js';

const QUESTION = 'How much wheat?';

/** A reader whose logit for a sentence is the number it holds, recording what it was asked to read. */
function countingReader() {
  const calls: string[][] = [];
  const read = async (question: string, texts: string[], contexts: string[]): Promise<ReaderVerdict[]> => {
    expect(question).toBe(QUESTION);
    expect(contexts).toHaveLength(texts.length);
    calls.push(texts);
    return texts.map((text) => ({ score: Number(text), answer: null }));
  };
  return { calls, reader: { read } };
}

describe('readInPasses', () => {
  const contexts = (texts: string[]) => texts.map((text) => `before ${text}`);

  it('stops after the first pass when one of its logits reaches sureAbove', async () => {
    const { calls, reader } = countingReader();
    const texts = ['-3', '1.5', '-1', '4', '9', '-2'];
    const verdicts = await readInPasses(reader, QUESTION, texts, contexts(texts), { firstPass: 3, sureAbove: 1, hopelessBelow: -6 });
    expect(calls).toEqual([['-3', '1.5', '-1']]);
    expect(verdicts.map((v) => v.score)).toEqual([-3, 1.5, -1]);
  });

  it('reads the rest, in order, when the first pass is sure of none', async () => {
    const { calls, reader } = countingReader();
    const texts = ['-3', '0.5', '-1', '4', '9', '-2'];
    const verdicts = await readInPasses(reader, QUESTION, texts, contexts(texts), { firstPass: 3, sureAbove: 1, hopelessBelow: -6 });
    expect(calls).toEqual([
      ['-3', '0.5', '-1'],
      ['4', '9', '-2'],
    ]);
    expect(verdicts.map((v) => v.score)).toEqual([-3, 0.5, -1, 4, 9, -2]);
  });

  it('stops after the first pass when all of its logits are hopeless', async () => {
    const { calls, reader } = countingReader();
    const texts = ['-9', '-7', '-8', '4', '9', '-2'];
    expect(await readInPasses(reader, QUESTION, texts, contexts(texts), { firstPass: 3, sureAbove: 1, hopelessBelow: -6 })).toHaveLength(3);
    expect(calls).toHaveLength(1);
    // One logit at the bound is enough to read on.
    const bound = ['-9', '-6', '-8', '4'];
    expect(await readInPasses(reader, QUESTION, bound, contexts(bound), { firstPass: 3, sureAbove: 1, hopelessBelow: -6 })).toHaveLength(4);
  });

  it('reads everything in one pass when the first pass covers every candidate', async () => {
    const { calls, reader } = countingReader();
    const texts = ['-3', '-4'];
    expect(await readInPasses(reader, QUESTION, texts, contexts(texts), { firstPass: 6, sureAbove: 1, hopelessBelow: -6 })).toHaveLength(2);
    expect(calls).toHaveLength(1);
  });

  it('pairs each text with its own context in the second pass', async () => {
    const seen: Array<[string, string]> = [];
    const read = async (_question: string, texts: string[], ctx: string[]) => {
      texts.forEach((text, i) => seen.push([text, ctx[i]!]));
      return texts.map(() => ({ score: -9, answer: null }));
    };
    const texts = ['a', 'b', 'c'];
    await readInPasses({ read }, QUESTION, texts, contexts(texts), { firstPass: 1, sureAbove: 0, hopelessBelow: -20 });
    expect(seen).toEqual([
      ['a', 'before a'],
      ['b', 'before b'],
      ['c', 'before c'],
    ]);
  });
});
