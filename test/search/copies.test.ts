import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/backend/types.js';
import { findTextDirective, parseTextDirective } from '../../src/core/text-fragment.js';
import type { AnswerResult } from '../../src/core/types.js';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { Embedder } from '../../src/embedding/embedder.js';
import { openEngine } from '../../src/engine/open.js';
import { ingest } from '../../src/index/ingest.js';
import { readManifest } from '../../src/index/manifest.js';
import { GenerationReader } from '../../src/index/store.js';
import { CopyGroups } from '../../src/search/copy-groups.js';
import { copyOfSeeds, modelsDir, TEST_MODEL, tempDir } from '../support/helpers.js';

/**
 * One seed article republished twice: by a wire service two days earlier (same text, its own
 * headline) and by a site that re-posted it with a paragraph of its own. Asked about it, the bot
 * quotes the story once, from the first report, and names the other outlets; nothing is hidden.
 */
const WHEAT = 'How much wheat did Russia donate to Cuba?';
const SEED = '002_fd5b7e87bdf5c1a2';
let corpusDir: string;
let engine: Engine;

function article(file: string, meta: Record<string, string>, body: string): void {
  const front = Object.entries(meta)
    .map(([key, value]) => `${key}: "${value}"`)
    .join('\n');
  mkdirSync(path.dirname(path.join(corpusDir, file)), { recursive: true });
  writeFileSync(path.join(corpusDir, file), `---\n${front}\n---\n${body}`);
}

beforeAll(async () => {
  corpusDir = copyOfSeeds();
  const seedText = readFileSync(path.join(corpusDir, `${SEED}.txt`), 'utf8');
  article(
    'wire/putin-ally.md',
    { title: 'Putin ally in Havana', publisher: 'Wire Service', date: '2022-02-14', url: 'https://wire.example/putin-ally' },
    seedText,
  );
  article(
    'blog/repost.md',
    { title: 'UPDATED: Russia and Cuba deepen ties', publisher: 'Daily Repost', date: '2022-02-20', url: 'https://repost.example/ties' },
    `${seedText}\n\nOur correspondent adds that more shipments are expected.\n`,
  );
  engine = await openEngine({ corpusDir, indexDir: tempDir('copies-index-'), model: TEST_MODEL, rerankModels: [], modelsDir: modelsDir() });
}, 300_000);
afterAll(() => engine?.close());

describe('copies of one story', () => {
  it('are quoted once, from the first report, naming the other outlets earliest first', async () => {
    const { results } = await engine.ask(WHEAT, { k: 3 });
    const copies = ['wire/putin-ally', 'blog/repost', SEED];
    expect(results.filter((r) => copies.includes(r.docId))).toHaveLength(1);
    const first = results[0]!;
    expect(first.docId).toBe('wire/putin-ally');
    expect(first.quote).toContain('25,000 tonnes of wheat');
    expect(first.alsoPublishedBy.map((copy) => [copy.docId, copy.date])).toEqual([
      ['blog/repost', '2022-02-20'],
      [SEED, null],
    ]);
    // Still a span of the file it names, linked to the quoted words on that outlet's page.
    const text = readFileSync(path.join(corpusDir, 'wire/putin-ally.md'), 'utf8');
    expect(text.slice(first.start!, first.end!)).toBe(first.quote);
    expect(first.link).toMatch(/^https:\/\/wire\.example\/putin-ally#:~:text=/);
    const doc = engine.getDocument('wire/putin-ally')!;
    expect(findTextDirective(doc, parseTextDirective(first.link!.split(':~:')[1]!)!)).toEqual({ start: first.start, end: first.end });
    expect(new Set(results.map((r) => r.quote)).size).toBe(results.length);
  });

  it('hides no article: each is listed with its copies, and an outlet asked for gives its own copy', async () => {
    expect(engine.documents().map((doc) => doc.id)).toEqual(expect.arrayContaining(['wire/putin-ally', 'blog/repost', SEED]));
    expect(engine.documents().find((doc) => doc.id === SEED)!.copies).toEqual(['wire/putin-ally', 'blog/repost']);
    const own = (await engine.ask(WHEAT, { publisher: 'Daily Repost' })).results[0]!;
    expect(own.docId).toBe('blog/repost');
    expect(own.link).toMatch(/^https:\/\/repost\.example\/ties#:~:text=/);
    expect(own.alsoPublishedBy.map((copy) => copy.docId)).toEqual(['wire/putin-ally', SEED]);
  });

  it('are found incrementally: a new copy is the only document embedded, and joins the group', async () => {
    const embedder = await Embedder.load({ model: TEST_MODEL, modelsDir: modelsDir() });
    const indexDir = tempDir('copies-ingest-');
    await ingest(loadCorpus(corpusDir), { primary: embedder, rerankers: [] }, indexDir);
    const seedText = readFileSync(path.join(corpusDir, `${SEED}.txt`), 'utf8');
    article(
      'later/copy.md',
      { title: 'Ally visit', publisher: 'Later Times', date: '2022-03-01' },
      seedText.replace('Wednesday', 'Wednesday morning'),
    );
    const { index, summary } = await ingest(loadCorpus(corpusDir), { primary: embedder, rerankers: [] }, indexDir);
    expect(summary.added).toEqual(['later/copy']);
    // Every document's signature is stored (read back as a writer reads them), and its copy group recorded.
    const stored = new GenerationReader(readManifest(indexDir)!, indexDir).documents;
    expect([...stored.values()].every((doc) => typeof doc.signature === 'string')).toBe(true);
    expect([...index.documents.values()].every((doc) => typeof doc.copyGroup === 'number')).toBe(true);
    const corpus = loadCorpus(corpusDir);
    const groups = new CopyGroups(index.documents, new Map(corpus.documents.map((doc) => [doc.id, doc])));
    expect(groups.others(SEED)).toEqual(['wire/putin-ally', 'blog/repost', 'later/copy']);
    // A quote of a later copy is cited from the first report with its marked answer moved along:
    // both are offsets into the file the citation names (Answerer.ask shows marked passages again for this).
    const textOf = (id: string) => corpus.documents.find((doc) => doc.id === id)?.text ?? null;
    const quote = '25,000 tonnes of wheat';
    const at = textOf(SEED)!.indexOf(quote);
    const fromSeed = { docId: SEED, quote, start: at, end: at + quote.length, answer: { start: at, end: at + 13 } } as AnswerResult;
    const cited = groups.firstReport(fromSeed, null, textOf).result;
    expect(cited.docId).toBe('wire/putin-ally');
    expect(cited.start).not.toBe(at);
    expect(textOf('wire/putin-ally')!.slice(cited.answer!.start, cited.answer!.end)).toBe('25,000 tonnes');
  });
});
