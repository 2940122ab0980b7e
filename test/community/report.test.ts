import { describe, expect, it } from 'vitest';
import { buildReport, groupQuestions } from '../../src/community/report.js';

describe('the report', () => {
  it('groups near-duplicate questions, keeps different ones apart, and counts each group with its links', () => {
    const groups = groupQuestions([
      { question: 'How much wheat did Russia send to Cuba?', messageUrl: 'https://discord.com/channels/1/2/3' },
      { question: 'russia cuba: how much wheat, send', messageUrl: null },
      { question: 'How much oil did Russia send to Cuba?', messageUrl: 'https://discord.com/channels/1/2/5' },
      { question: 'How much WHEAT did Russia send to Cuba??', messageUrl: 'https://discord.com/channels/1/2/6' },
      { question: '???', messageUrl: null },
    ]);
    expect(groups.map(({ question, count }) => [question, count])).toEqual([
      ['How much wheat did Russia send to Cuba?', 3],
      ['How much oil did Russia send to Cuba?', 1],
      ['???', 1],
    ]);
    expect(groups[0]!.links).toEqual(['https://discord.com/channels/1/2/3', 'https://discord.com/channels/1/2/6']);
  });

  it('gives the share answered and sums wrong quotes per article', () => {
    const report = buildReport(
      {
        asked: 4,
        answered: 3,
        notCovered: [],
        wrongQuotes: [
          { docId: 'a', start: 0, end: 5, count: 2 },
          { docId: 'b', start: 0, end: 5, count: 2 },
          { docId: 'a', start: 9, end: 20, count: 1 },
        ],
      },
      7,
    );
    expect(report.answeredShare).toBe(0.75);
    expect(report.wrongArticles).toEqual([
      { docId: 'a', count: 3 },
      { docId: 'b', count: 2 },
    ]);
    expect(buildReport({ asked: 0, answered: 0, notCovered: [], wrongQuotes: [] }, 1).answeredShare).toBeNull();
  });
});
