import { expect, it } from 'vitest';
import { pgEfSearchFor } from '../../src/postgres/db.js';
import { graphMemoryMb } from '../../src/postgres/publish.js';

it('sizes maintenance_work_mem to hold the HNSW graph being built, within 512 MB and 4 GB', () => {
  expect(graphMemoryMb(0)).toBe(512);
  expect(graphMemoryMb(30)).toBe(512);
  // A million 384-dimension rows need about 2.4 GB to be built in memory.
  expect(graphMemoryMb(1_000_000)).toBe(2442);
  expect(graphMemoryMb(10_000_000)).toBe(4096);
});

it("searches larger tables with a longer candidate list, within pgvector's limit of 1,000", () => {
  expect(pgEfSearchFor(0)).toBe(200);
  expect(pgEfSearchFor(10_000)).toBe(200);
  expect(pgEfSearchFor(100_000)).toBe(400);
  expect(pgEfSearchFor(1_000_000)).toBe(800);
  expect(pgEfSearchFor(100_000_000)).toBe(1000);
});
