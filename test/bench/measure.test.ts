import { describe, expect, it } from 'vitest';
import { passSummary, type TimedQuestion } from '../../src/bench/measure.js';

const question = (total: number, reader: number, embed = 10, marker = 0): TimedQuestion => ({
  total,
  stages: { embed, firstStage: 2, rows: 5, bm25: 3, reader, marker },
});

describe('a pass of timed questions', () => {
  it('reports the whole question, everything before the reader, and each stage at p50', () => {
    const questions = [question(50, 25), question(60, 30), question(40, 20), question(100, 30, 40)];
    const summary = passSummary(questions);
    expect(summary.p50).toBe(60);
    expect(summary.p95).toBe(100);
    expect(summary.before_reader_p50).toBe(30); // 25, 30, 20, 70 → the third smallest
    expect(summary.before_reader_p95).toBe(70);
    expect(summary.stages_p50).toEqual({ embed: 10, first_stage: 2, rows: 5, bm25: 3, reader: 30, marker: 0, other: 10 });
  });

  it('counts the answer marker apart, and not as before the reader', () => {
    const summary = passSummary([question(70, 25, 10, 15), question(80, 30, 10, 20), question(60, 20, 10, 10)]);
    expect(summary.before_reader_p50).toBe(30); // 70 - 25 - 15, 80 - 30 - 20, 60 - 20 - 10
    expect(summary.stages_p50).toEqual({ embed: 10, first_stage: 2, rows: 5, bm25: 3, reader: 25, marker: 15, other: 10 });
  });
});
