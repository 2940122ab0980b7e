import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/import/report.js';

describe('formatReport', () => {
  it('shows control characters of file names and remote messages instead of sending them', () => {
    const text = formatReport({
      entries: [
        { source: 'saved/\x1b[31mred.html', status: 'imported', file: 'red.md' },
        {
          source: 'https://news.example/x',
          status: 'skipped',
          reason: 'http-status: https://news.example/x answered 500 \x1b]8;;https://evil.example\x07Oops',
        },
      ],
    });
    expect(text).toContain('  + red.md ← saved/␛[31mred.html');
    expect(text).toContain('answered 500 ␛]8;;https://evil.example␇Oops');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
