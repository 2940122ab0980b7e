import { describe, expect, it } from 'vitest';
import { pageOf } from '../../../src/bot/render/paging.js';

describe('pageOf', () => {
  const items = Array.from({ length: 23 }, (_, i) => i + 1);

  it('slices a page and numbers its first item from 1', () => {
    expect(pageOf(items, 1, 10)).toEqual({ items: [11, 12, 13, 14, 15, 16, 17, 18, 19, 20], current: 1, pages: 3, firstNumber: 11 });
    expect(pageOf(items, 2, 10).items).toEqual([21, 22, 23]);
  });

  it('clamps pages out of range, and an empty list still has one page', () => {
    expect(pageOf(items, 99, 10)).toMatchObject({ current: 2, firstNumber: 21 });
    expect(pageOf(items, -3, 10)).toMatchObject({ current: 0, firstNumber: 1 });
    expect(pageOf([], 0, 10)).toEqual({ items: [], current: 0, pages: 1, firstNumber: 1 });
  });
});
