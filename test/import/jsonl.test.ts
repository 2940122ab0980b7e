import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JsonlEntry, readJsonl } from '../../src/import/jsonl.js';
import { ROOT, tempDir } from '../support/helpers.js';
import { FIXTURES } from '../support/news-server.js';

async function all(file: string, limit?: number): Promise<JsonlEntry[]> {
  const entries: JsonlEntry[] = [];
  for await (const entry of readJsonl(file, { limit })) entries.push(entry);
  return entries;
}

describe('readJsonl', () => {
  it('reads title, text, url, date, publisher and author, and names every bad line', async () => {
    const entries = await all(path.join(FIXTURES, 'sample.jsonl'));
    expect(entries.map((entry) => ('article' in entry ? `${entry.line}: ok` : `${entry.line}: ${entry.error.message}`))).toEqual([
      '1: ok',
      '2: ok',
      '4: bad-line: sample.jsonl line 4: no "text"',
      expect.stringMatching(/^5: bad-line: sample\.jsonl line 5: not valid JSON \(.+\)$/),
      '6: bad-line: sample.jsonl line 6: not a JSON object',
      '7: ok',
    ]);
    const [first, second, , , , last] = entries.map((entry) => ('article' in entry ? entry.article : null));
    expect(first).toEqual({
      title: 'Ferry fares frozen for another year',
      publisher: 'Island Courier',
      author: 'Morag Campbell',
      date: '2024-02-15',
      url: 'https://islands.example/news/ferry-fares-frozen',
      sourceKey: 'jsonl:sample.jsonl:cms-1041',
      origin: 'jsonl:sample.jsonl',
      paragraphs: [
        'Ferry fares on all island routes will stay at their current level until next summer, the regional transport board decided on Thursday.',
        'The board said higher fuel prices would be covered from its reserves rather than passed on to passengers. Island councils had warned that a rise would push more families to leave.',
        'A review of the timetable will be published in the spring.',
      ],
    });
    expect(second).toMatchObject({
      title: 'COCOA GROWERS REPORT RAIN',
      date: '1987-02-26',
      sourceKey: 'jsonl:sample.jsonl:7',
      publisher: null,
    });
    expect(last).toMatchObject({ title: '42', author: 'Ann Lee, Bo Chan', url: null, sourceKey: null });
  });

  it('stops after --limit articles', async () => {
    expect((await all(path.join(FIXTURES, 'sample.jsonl'), 1)).length).toBe(1);
  });

  it('names a file that cannot be read', async () => {
    await expect(all('/no/such/file.jsonl')).rejects.toThrow('unreadable: /no/such/file.jsonl: ENOENT');
  });

  const bbc = path.resolve(ROOT, '../shared/datasets/bbc-news/articles.jsonl');
  it.runIf(existsSync(bbc))('reads the first lines of the BBC News dataset as articles', async () => {
    const sample = path.join(tempDir('bbc-'), 'bbc.jsonl');
    writeFileSync(sample, readFileSync(bbc, 'utf8').split('\n').slice(0, 3).join('\n'));
    const entries = await all(sample);
    expect(entries).toHaveLength(3);
    const first = (entries[0] as { article: { title: string; paragraphs: string[]; sourceKey: string } }).article;
    expect(first.title).toBe('Ad sales boost Time Warner profit');
    expect(first.sourceKey).toBe('jsonl:bbc.jsonl:business/001');
    expect(first.paragraphs.length).toBeGreaterThan(3);
  });

  it('takes no URL that carries a user name or password', async () => {
    const file = path.join(tempDir('jsonl-'), 'creds.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ title: 'Ferry fares', text: 'Fares stay the same.', url: 'https://user:secret@islands.example/ferry' })}\n`,
    );
    const [entry] = await all(file);
    expect(entry && 'article' in entry && entry.article.url).toBeNull();
  });
});
