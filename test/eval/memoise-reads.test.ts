import { describe, expect, it } from 'vitest';
import type { ReaderVerdict } from '../../src/embedding/reader.js';
import { memoiseReads } from '../../src/eval/fit.js';

describe('memoiseReads', () => {
  it('reads each question and sentences once until restored, then reads afresh', async () => {
    let calls = 0;
    const reader = {
      read: async (question: string, sentences: string[]): Promise<ReaderVerdict[]> => {
        calls++;
        return sentences.map((s) => ({ score: question.length + s.length, answer: null }));
      },
    };
    const restore = memoiseReads(reader);
    const first = await reader.read('who?', ['a', 'bb']);
    expect(await reader.read('who?', ['a', 'bb'])).toBe(first);
    expect(calls).toBe(1);
    await reader.read('who?', ['a']);
    await reader.read('when?', ['a', 'bb']);
    expect(calls).toBe(3);
    restore();
    await reader.read('who?', ['a', 'bb']);
    expect(calls).toBe(4);
  });
});
