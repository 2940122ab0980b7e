import { describe, expect, it } from 'vitest';
import { timeLeft } from '../../src/cli/progress.js';

describe('progress time left', () => {
  it('estimates from the rate since the first report, and says nothing before there is one', () => {
    expect(timeLeft({ at: 0, done: 0 }, 10, 100, 500)).toBe(''); // under a second: no rate yet
    expect(timeLeft({ at: 0, done: 0 }, 10, 100, 10_000)).toBe(' · about 2 min left'); // 90 left at 1 a second
    expect(timeLeft({ at: 0, done: 0 }, 50, 100, 10_000)).toBe(' · about 10 s left');
    expect(timeLeft({ at: 0, done: 0 }, 100, 100, 10_000)).toBe('');
    expect(timeLeft({ at: 0, done: 0 }, 1, 10_000, 10_000)).toBe(' · about 27.8 h left');
  });
});
