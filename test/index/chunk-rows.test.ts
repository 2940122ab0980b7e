import { describe, expect, it } from 'vitest';
import { ChunkRows } from '../../src/index/chunk-rows.js';

describe('chunk rows', () => {
  it('number every document’s chunks in order, documents without chunks taking no row', () => {
    const rows = ChunkRows.of([
      ['a', 2],
      ['empty', 0],
      ['b', 3],
    ]);
    expect(rows.length).toBe(5);
    expect(Array.from({ length: rows.length }, (_, row) => [rows.docId(row), rows.chunk(row)])).toEqual([
      ['a', 0],
      ['a', 1],
      ['b', 0],
      ['b', 1],
      ['b', 2],
    ]);
    expect(rows.at(4)).toEqual({ docId: 'b', chunk: 2 });
    expect([rows.at(5), rows.at(-1), rows.at(1.5)]).toEqual([undefined, undefined, undefined]);
  });
});
