import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SEEDS, TEST_MODEL, modelsDir, tempDir } from '../helpers.js';

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
    expect(Object.keys(answer)).toEqual(['question', 'answered', 'results']);
    expect(answer).toMatchObject({ question: 'How much wheat did Russia donate to Cuba?', answered: true });
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.results.length).toBeLessThanOrEqual(3);
    for (const result of answer.results) {
      expect(Object.keys(result)).toEqual(['rank', 'docId', 'title', 'publisher', 'author', 'date', 'url', 'score', 'relevance', 'quote', 'start', 'end']);
      const text = readFileSync(path.join(SEEDS, `${result.docId}.txt`), 'utf8');
      expect(text.slice(result.start, result.end)).toBe(result.quote);
    }
    expect(answer.results[0].quote).toContain('25,000 tonnes of wheat');
  });

  it('honours --k and reports an unanswerable question as answered: false', () => {
    const one = JSON.parse(ask(['--json', '--k', '1', 'Who is the Russian ambassador to Cuba?']).stdout);
    expect(one.results).toHaveLength(1);
    const none = JSON.parse(ask(['--json', 'How do I bake sourdough bread?']).stdout);
    expect(none).toEqual({ question: 'How do I bake sourdough bread?', answered: false, results: [] });
  });

  it('gives several passages of one article with --all-passages', () => {
    const args = ['--json', '--k', '6', 'What did Patrushev say about Ukraine and sanctions?'];
    const single = JSON.parse(ask(args).stdout).results.map((r: { docId: string }) => r.docId);
    expect(new Set(single).size).toBe(single.length);
    const several = JSON.parse(ask([...args, '--all-passages']).stdout).results.map((r: { docId: string }) => r.docId);
    expect(new Set(several).size).toBeLessThan(several.length);
  });

  it('answers one question per stdin line with --stdin', () => {
    const { status, stdout } = ask(['--json', '--stdin'], { input: 'How much wheat did Russia donate?\n\nWhat did Maduro assure Russia of?\n' });
    expect(status).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => l.question)).toEqual(['How much wheat did Russia donate?', 'What did Maduro assure Russia of?']);
  });

  it('prints a readable answer without --json', () => {
    const { stdout } = ask(['How many tons of aid did Russia send to the Cuban people?']);
    expect(stdout).toMatch(/^1\. “.*200 tons/m);
    expect(stdout).toContain('Radio Habana Cuba');
  });
});

describe('user errors exit non-zero with one line on stderr', () => {
  const cases: Array<[string, string[], RegExp, Record<string, string>?]> = [
    ['an empty question', ['--json', '  '], /^error: the question is empty/],
    ['a question over 2,000 characters', ['--json', 'x'.repeat(2001)], /^error: the question is 2001 characters long; the limit is 2000$/],
    ['an unknown flag', ['--jsn', 'hi'], /^error: Unknown option '--jsn'/],
    ['a bad --k', ['--k', 'many', 'hi'], /^error: --k must be a whole number/],
    ['--k over 50', ['--k', '51', 'hi'], /^error: --k must be a whole number from 1 to 50$/],
    ['a date the calendar does not have', ['--after', '2023-02-31', 'hi'], /^error: --after must be a date like 2023-04-20$/],
    ['--after later than --before', ['--after', '2022-02-19', '--before', '2022-02-18', 'hi'], /^error: --after must not be later than --before$/],
    ['a missing corpus', ['--corpus', '/no/such/dir', 'hi'], /^error: corpus folder not found: \/no\/such\/dir/],
    ['a missing model', ['hi'], /^error: embedding model Xenova\/all-MiniLM-L6-v2 not found: looked for \/nowhere\/Xenova/, { MODELS_DIR: '/nowhere' }],
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
