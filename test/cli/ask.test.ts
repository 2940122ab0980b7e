import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyOfSeeds, modelsDir, ROOT, SEEDS, TEST_MODEL, tempDir } from '../support/helpers.js';

const indexDir = tempDir('cli-index-');

/** Run `ask` the way other tools do: a separate process, stdout and stderr apart. */
function ask(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', '--index', indexDir, ...args], {
    cwd: ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, MODELS_DIR: modelsDir(), EMBEDDING_MODEL: TEST_MODEL, LOG_LEVEL: 'info', ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  // The first call builds the missing index; its progress goes to stderr only.
  const first = ask(['--json', 'warm up']);
  expect(first.status).toBe(0);
  expect(first.stderr).toMatch(/indexed 5 documents/);
}, 120_000);

describe('npm run ask --json', () => {
  it('prints exactly one JSON object that follows the contract', () => {
    const { status, stdout } = ask(['--json', 'How much wheat did Russia donate to Cuba?']);
    expect(status).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const answer = JSON.parse(stdout);
    expect(Object.keys(answer)).toEqual(['question', 'answered', 'results', 'closest']);
    expect(answer.closest).toEqual([]);
    expect(answer).toMatchObject({ question: 'How much wheat did Russia donate to Cuba?', answered: true });
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.results.length).toBeLessThanOrEqual(3);
    for (const result of answer.results) {
      expect(Object.keys(result)).toEqual([
        'rank',
        'docId',
        'title',
        'publisher',
        'author',
        'date',
        'url',
        'link',
        'alsoPublishedBy',
        'score',
        'relevance',
        'quote',
        'start',
        'end',
        // The answer marked inside the quote, as file offsets, when the reader read the quoted sentence.
        ...('answer' in result ? ['answer'] : []),
      ]);
      const text = readFileSync(path.join(SEEDS, `${result.docId}.txt`), 'utf8');
      expect(text.slice(result.start, result.end)).toBe(result.quote);
      if (result.answer) expect(result.quote).toContain(text.slice(result.answer.start, result.answer.end));
    }
    expect(answer.results[0].quote).toContain('25,000 tonnes of wheat');
    const { start, end } = answer.results[0].answer;
    expect(readFileSync(path.join(SEEDS, `${answer.results[0].docId}.txt`), 'utf8').slice(start, end)).toBe('25,000 tonnes');
  });

  it('honours --k and reports an unanswerable question as answered: false', () => {
    const one = JSON.parse(ask(['--json', '--k', '1', 'Who is the Russian ambassador to Cuba?']).stdout);
    expect(one.results).toHaveLength(1);
    const none = JSON.parse(ask(['--json', 'How do I bake sourdough bread?']).stdout);
    expect(none).toMatchObject({ question: 'How do I bake sourdough bread?', answered: false, results: [] });
    // The closest articles, as the text mode lists them.
    expect(none.closest).toHaveLength(3);
    for (const near of none.closest) {
      expect(Object.keys(near)).toEqual(['docId', 'title', 'relevance']);
      expect(readFileSync(path.join(SEEDS, `${near.docId}.txt`), 'utf8')).toBeTruthy();
    }
    const text = ask(['How do I bake sourdough bread?']).stdout;
    for (const near of none.closest) expect(text).toContain(`  - ${near.title} (${near.docId})`);
  });

  it('gives several passages of one article with --all-passages', () => {
    const args = ['--json', '--k', '6', 'What did Patrushev say about Ukraine and sanctions?'];
    const single: string[] = JSON.parse(ask(args).stdout).results.map((r: { docId: string }) => r.docId);
    // Without the flag: at most three passages an article (PASSAGES_PER_DOCUMENT), and weak ones cut.
    for (const id of single) expect(single.filter((other) => other === id).length).toBeLessThanOrEqual(3);
    const several: string[] = JSON.parse(ask([...args, '--all-passages']).stdout).results.map((r: { docId: string }) => r.docId);
    expect(several.length).toBeGreaterThan(single.length);
    expect(new Set(several).size).toBeLessThan(several.length);
  });

  it('finds sources for a statement with --claim, without the quote reader', () => {
    const claim = 'Moscow sent five planes with medical equipment to Cuba';
    const answer = JSON.parse(ask(['--json', '--claim', claim]).stdout);
    expect(answer).toMatchObject({ question: claim, answered: true });
    expect(answer.results[0].quote).toContain('Moscow has sent five planes');
    // A claim whose first quote the reader changes: the flag is what decides (with a question word
    // in it: without one, the claim would be keywords, which are never read).
    const firstQuote = (args: string[]) => JSON.parse(ask(['--json', ...args]).stdout).results[0]?.quote;
    const withQuestionWord = 'Lavrov met Díaz-Canel when he visited Havana';
    expect(firstQuote(['--claim', withQuestionWord])).not.toBe(firstQuote([withQuestionWord]));
  });

  it('answers one question per stdin line with --stdin', () => {
    const { status, stdout } = ask(['--json', '--stdin'], {
      input: 'How much wheat did Russia donate?\n\nWhat did Maduro assure Russia of?\n',
    });
    expect(status).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.question)).toEqual(['How much wheat did Russia donate?', 'What did Maduro assure Russia of?']);
  });

  it('prints a readable answer without --json', () => {
    const { stdout } = ask(['How many tons of aid did Russia send to the Cuban people?']);
    expect(stdout).toMatch(/^1\. “.*200 tons/m);
    expect(stdout).toContain('Radio Habana Cuba');
    // The author is part of the attribution line when it is known.
    const byline = ask(['--k', '1', 'Who wrote the Radio Habana Cuba piece?']).stdout;
    expect(byline).toMatch(
      /^1\. “By María Josefina Arce”\n {3}— Deepening relations between Cuba and Russia\n {5}by María Josefina Arce · Radio Habana Cuba · 001_ae8a7436e91a9c39$/m,
    );
  });
});

interface JsonResult {
  docId: string;
  author: string | null;
  publisher: string | null;
  date: string | null;
  quote: string | null;
  start: number | null;
  end: number | null;
}

/** Two results of one article must never share characters (nor repeat its metadata). */
function expectNoOverlaps(results: JsonResult[]): void {
  results.forEach((a, i) =>
    results.slice(i + 1).forEach((b) => {
      if (a.docId !== b.docId) return;
      expect(a.start === null && b.start === null, `${a.docId} shown twice from its metadata`).toBe(false);
      if (a.start !== null && b.start !== null) expect(a.end! <= b.start || b.end! <= a.start, `${a.quote} / ${b.quote}`).toBe(true);
    }),
  );
}

describe('questions about an article itself', () => {
  it('never gives one span twice (the seed byline was results 1 and 3)', () => {
    const answer = JSON.parse(ask(['--json', 'Who wrote the Radio Habana Cuba piece?']).stdout);
    expect(answer.results[0]).toMatchObject({ docId: '001_ae8a7436e91a9c39', quote: 'By María Josefina Arce' });
    expectNoOverlaps(answer.results);
  });

  describe('over Markdown articles with front matter (as npm run import writes them)', () => {
    const corpus = copyOfSeeds();
    const index = tempDir('cli-index-md-');
    const askMd = (args: string[]) => ask(['--corpus', corpus, '--index', index, ...args]);
    const lighthouse = [
      '---',
      'title: Old lighthouse on Skarv Point to become a museum',
      'publisher: Northern Coast Herald',
      'author: Priya Halvorsen',
      'date: 2024-05-14',
      'url: https://herald.example/2024/05/14/lighthouse-museum',
      '---',
      '',
      '# Old lighthouse on Skarv Point to become a museum',
      '',
      'The lighthouse on Skarv Point, dark since its lamp was switched off in 2009, will reopen next summer as a maritime museum.',
      '',
      "The municipality bought the tower and the keeper's cottage for 1.2 million kroner after a two-year campaign by the local history society.",
      '',
      'Visitors will be able to climb the 112 steps of the lighthouse to the lantern room, where the original Fresnel lens has been restored.',
      '',
      'The history society expects about 15,000 visitors to the lighthouse in its first season.',
      '',
    ].join('\n');
    const bodyStart = lighthouse.indexOf('# Old lighthouse');

    beforeAll(() => {
      writeFileSync(path.join(corpus, 'lighthouse.md'), lighthouse);
      expect(askMd(['--json', 'warm up']).status).toBe(0);
    }, 120_000);

    it.each([
      ['Who wrote the article about the lighthouse?', 'author', 'Priya Halvorsen', 'Author: Priya Halvorsen'],
      [
        'Which outlet published the article about the lighthouse?',
        'publisher',
        'Northern Coast Herald',
        'Publisher: Northern Coast Herald',
      ],
      ['When was the article about the lighthouse published?', 'date', '2024-05-14', 'Published: 2024-05-14'],
    ])('"%s" never quotes the front matter: the %s is shown without a quote, once', (question, field, value, shown) => {
      const answer = JSON.parse(askMd(['--json', '--k', '5', '--all-passages', question]).stdout);
      expect(answer.results[0]).toMatchObject({ docId: 'lighthouse', [field]: value, quote: null, start: null, end: null });
      for (const result of answer.results.filter((r: JsonResult) => r.docId === 'lighthouse')) {
        if (result.start !== null) expect(result.start).toBeGreaterThanOrEqual(bodyStart);
      }
      expectNoOverlaps(answer.results);
      // The text mode says what answers and that it is not a quote.
      expect(askMd([question]).stdout).toMatch(
        new RegExp(`^1\\. ${shown} \\(from the article's metadata; its text does not state it\\)$`, 'm'),
      );
    });
  });
});

describe('user errors exit non-zero with one line on stderr', () => {
  const cases: Array<[string, string[], RegExp, Record<string, string>?]> = [
    ['an empty question', ['--json', '  '], /^error: the question is empty/],
    ['a question over 2,000 characters', ['--json', 'x'.repeat(2001)], /^error: the question is 2001 characters long; the limit is 2000$/],
    [
      'an unknown flag',
      ['--jsn', 'hi'],
      /^error: Unknown option '--jsn'\. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- "--jsn"'$/,
    ],
    ['a bad --k', ['--k', 'many', 'hi'], /^error: --k must be a whole number/],
    ['--k over 50', ['--k', '51', 'hi'], /^error: --k must be a whole number from 1 to 50$/],
    [
      'a date the calendar does not have',
      ['--after', '2023-02-30', 'hi'],
      /^error: --after 2023-02-30 does not exist: February 2023 has 28 days$/,
    ],
    ['a value that is not a date', ['--after', 'yesterday', 'hi'], /^error: --after must be a date like 2023-04-20$/],
    [
      '--after later than --before',
      ['--after', '2022-02-19', '--before', '2022-02-18', 'hi'],
      /^error: --after must not be later than --before$/,
    ],
    ['a missing corpus', ['--corpus', '/no/such/dir', 'hi'], /^error: corpus folder not found: \/no\/such\/dir/],
    [
      'a missing model',
      ['hi'],
      /^error: embedding model Xenova\/all-MiniLM-L6-v2 not found: looked for \/nowhere\/Xenova/,
      { MODELS_DIR: '/nowhere' },
    ],
  ];
  it.each(cases)('%s', (_, args, message, env) => {
    const { status, stdout, stderr } = ask(args, { env });
    expect(status).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((line) => line && !line.startsWith('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
