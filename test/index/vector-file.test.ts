import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bytesOf, columnOf, RowTable, sideBySide, VectorFile } from '../../src/index/vector-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Two models of different widths, rows whose values name model, row and dimension. */
function tables(rows: number): { primary: Float32Array; rerank: Float32Array } {
  const fill = (model: number, width: number) =>
    Float32Array.from({ length: rows * width }, (_, i) => model * 1000 + Math.floor(i / width) * 10 + (i % width));
  return { primary: fill(1, 3), rerank: fill(2, 2) };
}

describe('vector rows side by side', () => {
  it('reads every model of a row in one read, and each model column back exactly', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rows-'));
    dirs.push(dir);
    const { primary, rerank } = tables(7);
    const file = path.join(dir, 'chunk-vectors.f32');
    writeFileSync(file, bytesOf(sideBySide([primary, rerank], [3, 2], 7)));
    const table = new RowTable(file, 7, [3, 2]);
    table.checkSize();
    const [first, second] = [new VectorFile(table, 0, 3), new VectorFile(table, 3, 2)];

    const read = table.read([5, 1, 2]);
    expect([...read.keys()].sort()).toEqual([1, 2, 5]);
    expect([...first.of(read.get(5)!)]).toEqual([1050, 1051, 1052]);
    expect([...second.of(read.get(5)!)]).toEqual([2050, 2051]);
    expect([...second.read([2]).get(2)!]).toEqual([2020, 2021]);
    expect([...second.range(1, 2)]).toEqual([2010, 2011, 2020, 2021]);
    expect(first.all()).toEqual(primary);
    expect(second.all()).toEqual(rerank);
    expect(columnOf(table.range(0, 7), 5, 3, 2)).toEqual(rerank);
  });

  it('names the file whose size does not fit its rows', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rows-'));
    dirs.push(dir);
    const file = path.join(dir, 'sentence-vectors.f32');
    writeFileSync(file, new Uint8Array(4 * 5 * 3));
    expect(() => new RowTable(file, 4, [3, 2]).checkSize()).toThrow(/sentence-vectors\.f32 has 60 bytes, expected 80/);
  });
});
