import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBeir } from '../../src/eval/beir.js';

const scifact = path.resolve(import.meta.dirname, '../../../shared/datasets/scifact');
const haveScifact = existsSync(scifact);

describe.skipIf(!haveScifact)(`loadBeir on SciFact${haveScifact ? '' : ` (skipped: ${scifact} not found)`}`, () => {
  it('loads the test split as documented in its README', async () => {
    const { corpus, queries, qrels } = await loadBeir(scifact);
    expect(corpus).toHaveLength(5183);
    expect(queries).toHaveLength(300);
    expect(qrels.size).toBe(300);
    expect([...qrels.values()].reduce((rows, judged) => rows + judged.size, 0)).toBe(339);
    expect(queries.every((query) => qrels.has(query.id))).toBe(true);
    expect(corpus[0]).toMatchObject({ id: '4983', title: expect.stringMatching(/^Microstructural/) });
  });

  it('loads the train split', async () => {
    const { queries } = await loadBeir(scifact, 'train');
    expect(queries).toHaveLength(809);
  });
});

describe('loadBeir on small fixtures', () => {
  let dir = '';

  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function fixture(files: { corpus?: string; queries?: string; qrels?: string }): Promise<string> {
    dir = await mkdtemp(path.join(os.tmpdir(), 'beir-'));
    await mkdir(path.join(dir, 'qrels'));
    const write = (name: string, content: string | undefined) =>
      content === undefined ? undefined : writeFile(path.join(dir, name), content);
    await write('corpus.jsonl', files.corpus);
    await write('queries.jsonl', files.queries);
    await write('qrels/test.tsv', files.qrels);
    return dir;
  }

  const corpus = ['{"_id": "d1", "title": "T", "text": "one"}', '{"_id": 2, "text": "two"}', ''].join('\n');
  const queries = ['{"_id": "q1", "text": "first"}', '{"_id": "q2", "text": "second"}'].join('\n');

  it('reads the files, keeping only queries with qrels', async () => {
    const qrels = 'query-id\tcorpus-id\tscore\r\nq2\td1\t1\r\nq2\t2\t2\r\n';
    const data = await loadBeir(await fixture({ corpus, queries, qrels }));
    expect(data.corpus).toEqual([
      { id: 'd1', title: 'T', text: 'one' },
      { id: '2', title: '', text: 'two' },
    ]);
    expect(data.queries).toEqual([{ id: 'q2', text: 'second' }]);
    expect(data.qrels).toEqual(
      new Map([
        [
          'q2',
          new Map([
            ['d1', 1],
            ['2', 2],
          ]),
        ],
      ]),
    );
  });

  it('names a missing file', async () => {
    const root = await fixture({ corpus, queries });
    await expect(loadBeir(root)).rejects.toThrow(`${path.join(root, 'qrels', 'test.tsv')}: file not found`);
  });

  it('names the file and line of malformed JSON', async () => {
    const root = await fixture({ corpus: `${corpus}\n{"_id": "d3", "text": `, queries, qrels: 'h\n' });
    await expect(loadBeir(root)).rejects.toThrow(/corpus\.jsonl:4: invalid JSON/);
  });

  it('names the file and line of a record without text', async () => {
    const root = await fixture({ corpus, queries: '{"_id": "q1"}', qrels: 'h\n' });
    await expect(loadBeir(root)).rejects.toThrow(/queries\.jsonl:1: "text" must be a string/);
  });

  it.each([
    ['h\nq1\td1\n', /test\.tsv:2: expected "query-id<TAB>corpus-id<TAB>integer score"/],
    ['h\nq1\td1\tyes\n', /test\.tsv:2: expected "query-id<TAB>corpus-id<TAB>integer score"/],
    ['h\nq1\td1\t1\nq9\td1\t1\n', /test\.tsv:3: query "q9" is not in queries\.jsonl/],
    ['h\nq1\td9\t1\n', /test\.tsv:2: document "d9" is not in corpus\.jsonl/],
  ])('names the file and line of a bad qrels row (%j)', async (qrels, message) => {
    await expect(loadBeir(await fixture({ corpus, queries, qrels }))).rejects.toThrow(message);
  });
});
