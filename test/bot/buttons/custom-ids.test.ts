import { describe, expect, it } from 'vitest';
import { decodeCustomId, encodeCustomId, pageButtonId, parsePageButton } from '../../../src/bot/buttons/custom-ids.js';

describe('custom ids', () => {
  it('round-trips a namespace and parts', () => {
    const id = encodeCustomId('feedback', 'Ab3-_x9Q', 1);
    expect(id).toBe('feedback:Ab3-_x9Q:1');
    expect(decodeCustomId(id)).toEqual({ namespace: 'feedback', parts: ['Ab3-_x9Q', '1'] });
  });

  it('refuses parts containing the separator and ids over 100 characters', () => {
    expect(() => encodeCustomId('search', 'a:b')).toThrow(/must not contain/);
    expect(() => encodeCustomId('search', 'x'.repeat(100))).toThrow(/longer than 100/);
  });

  it('encodes pager targets that parse back, distinct per role', () => {
    const ids = (['prev', 'at', 'next'] as const).map((role) => pageButtonId('search', { key: 'k1', page: 0 }, role));
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(parsePageButton(decodeCustomId(id).parts)).toEqual({ key: 'k1', page: 0 });
  });

  it('rejects malformed pager parts', () => {
    expect(parsePageButton([])).toBeUndefined();
    expect(parsePageButton(['k1', '-1'])).toBeUndefined();
    expect(parsePageButton(['k1', 'two'])).toBeUndefined();
  });
});
