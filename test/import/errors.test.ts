import { describe, expect, it } from 'vitest';
import { formatBytes, sizeAgainstLimit } from '../../src/import/errors.js';

describe('sizes in refusals', () => {
  it('never rounds away the byte that matters', () => {
    expect(sizeAgainstLimit(4097, 4096)).toBe('4,097 bytes; the limit is 4,096 bytes (4 KB)');
    expect(sizeAgainstLimit(2 * 1024 * 1024 + 1, 2 * 1024 * 1024)).toBe('2,097,153 bytes; the limit is 2,097,152 bytes (2 MB)');
    expect(sizeAgainstLimit(5 * 1024 * 1024, 2 * 1024 * 1024)).toBe('5 MB; the limit is 2 MB');
    expect(formatBytes(512)).toBe('512 bytes');
  });
});
