/**
 * The examples of program output in README.md and docs/*.md, made by running the program on the
 * seed corpus. Each example sits in its file between `<!-- example:NAME -->` and `<!-- /example -->`;
 *
 *   npx tsx scripts/readme-examples.ts
 *
 * runs every example and rewrites those blocks. test/readme.test.ts runs the same examples and
 * fails when a block no longer shows what the program prints (the JSON keys, the first result).
 *
 * The configuration is the one the program would use (environment, then .env): run it with the
 * defaults, as a newcomer has them. Only the corpus (seeds/), a fresh index folder, the local
 * index and "no Discord token" are forced, so the examples never depend on a local setup.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderAnswer } from '../src/bot/render/answer.js';
import type { MessagePayload } from '../src/bot/sending/payload.js';
import { type Config, loadConfig } from '../src/config.js';
import { DEFAULT_RESULTS } from '../src/core/ask-options.js';
import type { Answer } from '../src/core/types.js';
import { openEngine } from '../src/engine/open.js';
import { engineOptions } from '../src/options.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
const SEEDS = path.join(ROOT, 'seeds');

/** The files whose example blocks this script writes and the test reads. */
export function exampleFiles(): string[] {
  const docs = path.join(ROOT, 'docs');
  const inDocs = readdirSync(docs)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => path.join(docs, name));
  return [path.join(ROOT, 'README.md'), ...inDocs];
}

type Kind = 'ask-json' | 'terminal' | 'discord-ask';

interface Example {
  kind: Kind;
  /** The questions asked, in order (the terminal session ends them with `exit`). */
  questions: string[];
}

/** Every example, by the NAME of its block. */
export const EXAMPLES: Record<string, Example> = {
  'ask-json': { kind: 'ask-json', questions: ['How much wheat did Russia donate to Cuba?'] },
  'ask-json-not-covered': { kind: 'ask-json', questions: ['What is the capital of Australia?'] },
  terminal: {
    kind: 'terminal',
    questions: ['How many tons of aid did Russia send to the Cuban people?', 'What is the capital of Australia?'],
  },
  'discord-ask': { kind: 'discord-ask', questions: ['How much wheat did Russia donate to Cuba?'] },
};

const BLOCK = /<!-- example:([\w-]+) -->\n([\s\S]*?)<!-- \/example -->/g;

export interface Block {
  name: string;
  file: string;
  /** What lies between the two markers. */
  text: string;
}

/** The example blocks of the files, in order. */
export function readBlocks(files = exampleFiles()): Block[] {
  return files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(BLOCK)].map((match) => ({ name: match[1]!, file, text: match[2]! })),
  );
}

/** The settings that change answers, where they differ from the defaults (said, so nobody publishes them unknowingly). */
export function nonDefaultSettings(config: Config = loadConfig()): string[] {
  const defaults = loadConfig({});
  const keys = ['EMBEDDING_MODEL', 'RERANK_MODELS', 'QUOTE_READER', 'ANSWER_MIN_RELEVANCE'] as const;
  const shown = (value: unknown) => (value === null ? 'none' : Array.isArray(value) ? value.join(',') || 'none' : String(value ?? ''));
  return keys.filter((key) => JSON.stringify(config[key]) !== JSON.stringify(defaults[key])).map((key) => `${key}=${shown(config[key])}`);
}

/** Runs every example on the seed corpus (one index, built first) and returns each block's new text. */
export async function runExamples(): Promise<Map<string, string>> {
  return withSeedIndex(async (env) => {
    const made = new Map<string, string>();
    for (const [name, example] of Object.entries(EXAMPLES)) {
      if (example.kind === 'ask-json') made.set(name, askJson(example.questions[0]!, env));
      else if (example.kind === 'terminal') made.set(name, terminal(example.questions, env));
      else made.set(name, await discordAsk(example.questions[0]!, env));
    }
    return made;
  });
}

/** Builds a fresh index of the seed articles, hands `use` the environment that points at it, then deletes it. */
export async function withSeedIndex<T>(use: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const indexDir = mkdtempSync(path.join(tmpdir(), 'readme-examples-'));
  // Seeds, a fresh local index, no Discord: the rest (models, reader, threshold) is the configuration's.
  const env = {
    ...process.env,
    CORPUS_DIR: SEEDS,
    INDEX_DIR: indexDir,
    INDEX_BACKEND: 'local',
    DISCORD_TOKEN: '',
    WATCH_CORPUS: 'false',
    SHARDS: '1',
  };
  try {
    run('src/cli/ingest.ts', [], env);
    return await use(env);
  } finally {
    rmSync(indexDir, { recursive: true, force: true });
  }
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv, input = ''): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${script} ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

function askJson(question: string, env: NodeJS.ProcessEnv): string {
  const printed = run('src/cli/ask.ts', ['--json', question], env);
  const lines = printed.trim().split('\n');
  if (lines.length !== 1) throw new Error(`ask --json printed ${lines.length} lines`);
  return [
    '```sh',
    `npm run --silent ask -- --json "${question}"`,
    '```',
    '```json',
    JSON.stringify(JSON.parse(lines[0]!), null, 2),
    '```',
    '',
  ].join('\n');
}

function terminal(questions: string[], env: NodeJS.ProcessEnv): string {
  const printed = run('src/cli/start.ts', [], env, `${[...questions, 'exit'].join('\n')}\n`);
  return ['```text', '$ npm start', printed.trimEnd(), '```', ''].join('\n');
}

/** The /ask reply as text, for the engine's answer: the Discord client's drawing left out. */
async function discordAsk(question: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { reply } = await askReply(question, env);
  return ['```text', `/ask question: ${question}`, '', ...replyLines(reply), '```', ''].join('\n');
}

/** The engine's answer under `env`, and the payload the bot sends for it on `/ask question:…` (src/bot/render/answer.ts). */
export async function askReply(question: string, env: NodeJS.ProcessEnv): Promise<{ answer: Answer; reply: MessagePayload }> {
  const engine = await openEngine(engineOptions(loadConfig(env)));
  try {
    const answer = await engine.ask(question, { k: DEFAULT_RESULTS });
    const documents = new Map(engine.documents().map((document) => [document.id, document]));
    const reply = renderAnswer(answer, { prompt: { label: 'Question', text: question }, feedbackKey: 'example' }, (id) =>
      documents.get(id),
    );
    return { answer, reply };
  } finally {
    engine.close();
  }
}

/** A reply as text: its content, each embed as lines marked `┃` (title, Markdown description, footer), then its buttons. */
function replyLines(reply: MessagePayload): string[] {
  const lines = reply.content ? reply.content.split('\n') : [];
  for (const embed of reply.embeds) {
    lines.push('');
    const title = embed.url ? `[${embed.title}](${embed.url})` : (embed.title ?? '');
    for (const line of [title, ...(embed.description ?? '').split('\n'), ...(embed.footer ? [embed.footer.text] : [])])
      lines.push(`┃ ${line}`.trimEnd());
  }
  const buttons = reply.components.flatMap((row) =>
    row.components.map(
      (button) => `[${'emoji' in button && button.emoji?.name ? `${button.emoji.name} ` : ''}${'label' in button ? button.label : ''}]`,
    ),
  );
  if (buttons.length > 0) lines.push('', buttons.join(' '));
  return lines;
}

/**
 * What must stay true of an example for it not to mislead: for JSON the keys and the first result
 * (or first closest article), for the terminal each question's first result, for Discord the
 * reply's heading, first embed and buttons. Scores and later results may differ in the last digits
 * between machines (int8 models), so they are not compared.
 */
export function essentials(name: string, text: string): unknown {
  const example = EXAMPLES[name];
  if (!example) throw new Error(`unknown example ${name}`);
  if (example.kind === 'ask-json') return jsonEssentials(text);
  if (example.kind === 'terminal') return terminalEssentials(text);
  return discordEssentials(text);
}

function fenced(text: string, language: string): string {
  const match = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\\n\`\`\``).exec(text);
  if (!match) throw new Error(`no \`\`\`${language} block`);
  return match[1]!;
}

function jsonEssentials(text: string) {
  const answer = JSON.parse(fenced(text, 'json')) as {
    question: string;
    answered: boolean;
    results: Array<Record<string, unknown>>;
    closest: Array<Record<string, unknown>>;
  };
  const first = answer.results[0];
  return {
    command: fenced(text, 'sh'),
    question: answer.question,
    answered: answer.answered,
    keys: Object.keys(answer),
    resultKeys: first ? Object.keys(first) : [],
    closestKeys: answer.closest[0] ? Object.keys(answer.closest[0]) : [],
    first: first ? { docId: first.docId, quote: first.quote } : null,
    firstClosest: answer.closest[0]?.docId ?? null,
  };
}

function terminalEssentials(text: string) {
  const session = fenced(text, 'text');
  const [opening, ...turns] = session.split(/^ask> /m);
  return {
    opening: opening!.split('\n').slice(0, 2),
    turns: turns.map((turn) => {
      const [question, ...rest] = turn.split('\n');
      const answer = rest.join('\n');
      if (answer.includes('The articles do not cover this question.')) {
        return { question, covered: false, firstClosest: /^ {2}- .* \(([^()]+)\)$/m.exec(answer)?.[1] ?? null };
      }
      const first = /^1\. (.*)\n {3}— .*\n {5}(.*)$/m.exec(answer);
      return { question, covered: first !== null, quote: first?.[1] ?? null, docId: first?.[2]?.split(' · ').at(-1) ?? null };
    }),
  };
}

function discordEssentials(text: string) {
  const lines = fenced(text, 'text').split('\n');
  const firstEmbed = lines.findIndex((line) => line.startsWith('┃'));
  const end = lines.findIndex((line, i) => i > firstEmbed && !line.startsWith('┃'));
  return {
    heading: lines.slice(0, firstEmbed).filter(Boolean),
    firstEmbed: lines.slice(firstEmbed, end === -1 ? undefined : end),
    buttons: lines.at(-1)?.startsWith('[') ? lines.at(-1) : null,
  };
}

/** Replaces each block's text with the new one; every block must name a known example, and every example have a block. Nothing is written unless all do. */
export function rewriteBlocks(made: Map<string, string>, files = exampleFiles()): string[] {
  const seen = new Set<string>();
  const rewritten = files.map((file) => {
    const before = readFileSync(file, 'utf8');
    const after = before.replace(BLOCK, (_all, name: string) => {
      const text = made.get(name);
      if (text === undefined)
        throw new Error(`${path.relative(ROOT, file)}: no example is called ${name} (known: ${[...made.keys()].join(', ')})`);
      seen.add(name);
      return `<!-- example:${name} -->\n${text}<!-- /example -->`;
    });
    return { file, changed: after !== before, after };
  });
  const missing = [...made.keys()].filter((name) => !seen.has(name));
  if (missing.length > 0)
    throw new Error(`no block for ${missing.join(', ')}: add <!-- example:NAME --> and <!-- /example --> where it belongs`);
  for (const { file, changed, after } of rewritten) if (changed) writeFileSync(file, after);
  return rewritten.filter(({ changed }) => changed).map(({ file }) => path.relative(ROOT, file));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const settings = nonDefaultSettings();
  if (settings.length > 0)
    process.stderr.write(`note: not the default configuration (${settings.join(', ')}); run again with the defaults before publishing\n`);
  const changed = rewriteBlocks(await runExamples());
  process.stderr.write(changed.length > 0 ? `rewrote the examples in ${changed.join(', ')}\n` : 'every example was already up to date\n');
}
