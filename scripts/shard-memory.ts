/**
 * Memory of the sharded bot, printed as one JSON line: `npm start` with SHARDS=N (default 2) against
 * the tests' fake Discord on 127.0.0.1, with the configured models (default: MiniLM and both rerank
 * models) over a corpus (default: seeds/). Once every shard has answered one /ask, it reads the RSS
 * (and peak RSS) of the manager and of each shard process from /proc; then the same for one-process
 * `npm start` (SHARDS=1) for comparison. Linux only.
 *   npx tsx scripts/shard-memory.ts [--shards N] [--corpus DIR]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FakeDiscord, type GuildRef } from '../test/support/fake-discord.js';

const { values } = parseArgs({ options: { shards: { type: 'string', default: '2' }, corpus: { type: 'string', default: 'seeds' } } });
const shards = Number(values.shards);
const ROOT = path.resolve(import.meta.dirname, '..');
const QUESTION = 'How much wheat did Russia donate to Cuba?';

/** Resident and peak resident memory of a process, in MB. */
function memory(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function measure(count: number) {
  const fake = await FakeDiscord.start({ shards: count });
  const guilds: GuildRef[] = Array.from({ length: count }, (_, id) => fake.addGuild({ shard: [id, count] }));
  const corpus = mkdtempSync(path.join(tmpdir(), 'shard-memory-corpus-'));
  cpSync(path.resolve(values.corpus), corpus, { recursive: true });
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      MODELS_DIR: process.env.MODELS_DIR ?? path.resolve(ROOT, '../shared/models'),
      SHARDS: String(count),
      DISCORD_TOKEN: 'memory-measurement-token',
      DISCORD_API_URL: fake.apiUrl,
      CORPUS_DIR: corpus,
      INDEX_DIR: mkdtempSync(path.join(tmpdir(), 'shard-memory-index-')),
      COOLDOWN_SECONDS: '0',
      LOG_LEVEL: 'info',
    },
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  try {
    const started = Date.now();
    for (let id = 0; id < count; id++) await fake.waitForShard(id, count, 600_000);
    const onlineSeconds = (Date.now() - started) / 1000;
    for (const guild of guilds) {
      const { token } = fake.slashCommand('ask', [{ name: 'question', value: QUESTION }], { channelId: guild.channelId });
      await fake.waitForCall((call) => call.method === 'PATCH' && call.path.includes(token), 120_000);
    }
    // Let the answers' garbage settle a moment, as a running bot would between questions.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const logs = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event?: string; shard?: number; pid?: number });
    const shardPids =
      count === 1
        ? []
        : await until('the shard pids', () => {
            const pids = Array.from(
              { length: count },
              (_, id) => logs.find((line) => line.event === 'shard-spawned' && line.shard === id)?.pid,
            );
            return pids.every((pid) => pid !== undefined) ? (pids as number[]) : undefined;
          });
    return {
      shards: count,
      onlineSeconds,
      [count === 1 ? 'process' : 'manager']: memory(child.pid!),
      ...(count > 1 && { shardProcesses: shardPids.map((pid, id) => ({ shard: id, ...memory(pid) })) }),
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    await fake.close();
  }
}

const sharded = await measure(shards);
const single = await measure(1);
process.stdout.write(
  `${JSON.stringify({ models: process.env.RERANK_MODELS === 'none' ? 'primary only' : 'primary + rerank models (config)', corpus: values.corpus, sharded, single })}\n`,
);
