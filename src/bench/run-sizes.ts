/**
 * The bench's steps in processes of their own (so each size's memory is its own): a size is built,
 * served, and its cold start measured (the ingest times its own graph build). Each step's JSON is kept in
 * .cache/bench/, and with `reuse` a step whose result is there is not run again.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { coldStart, ROOT, WORK } from './sizes.js';

export interface StepOptions {
  datasets: string;
  realMax: number;
  reuse: boolean;
  /** Old-space heap of each step's process, MB (a million chunks' tables outgrow Node's default of about 4 GB). */
  heapMb: number;
}

/** Cold start is measured at every size from this one up (and at the largest, whatever its size). */
export const COLD_START_FROM = 100_000;

/** 60% of this machine's memory: room for the step's heap beside its native memory (graph, models). */
export function defaultHeapMb(): number {
  return Math.floor((totalmem() / 2 ** 20) * 0.6);
}

/** Each size built, then served, and its cold start measured; an embedding time measured at one size is passed on to the next. */
export async function measureSizes(ns: number[], options: StepOptions): Promise<Record<string, unknown>[]> {
  const sizes: Record<string, unknown>[] = [];
  let embedSecondsPer1000: number | undefined;
  const common = ['--datasets', options.datasets];
  for (const n of ns) {
    checkDiskSpace(n, sizes.at(-1));
    const args = ['--build', String(n), '--real-max', String(options.realMax), ...common];
    if (embedSecondsPer1000 !== undefined) args.push('--embed-s-per-1000', String(embedSecondsPer1000));
    const built = withEmbedding(await step(args, options), embedSecondsPer1000);
    if (built.embedding === 'measured') embedSecondsPer1000 = built.embed_s_per_1000_chunks as number;
    const served = await step(['--serve', String(n), ...common], options);
    const cold = n >= COLD_START_FROM || n === ns.at(-1) ? { cold_start_ms: coldStart(n) } : {};
    sizes.push({ requested: n, ...built, ...served, ...cold });
  }
  return sizes;
}

/**
 * A size built on model-made vectors: its ingest is its own time plus the embedding time measured at
 * the real size of this run (added here, so a build kept by --reuse follows a new real measurement).
 */
function withEmbedding(built: Record<string, unknown>, embedSecondsPer1000: number | undefined): Record<string, unknown> {
  const own = built.ingest_without_embedding_s_per_1000_chunks;
  if (typeof own !== 'number' || embedSecondsPer1000 === undefined) return built;
  return { ...built, ingest_s_per_1000_chunks: Number((own + embedSecondsPer1000).toFixed(1)) };
}

export function indexOnlySizes(ns: number[], options: StepOptions): Promise<Record<string, unknown>[]> {
  return ns.reduce(
    async (done, n) => [...(await done), await step(['--index-only', String(n), '--datasets', options.datasets], options)],
    Promise.resolve([] as Record<string, unknown>[]),
  );
}

/** About 22 KB of index per chunk at 100,000 chunks (two vector tables, graph, BM25): refuse a size the disk cannot hold, before hours of work. */
function checkDiskSpace(n: number, previous: Record<string, unknown> | undefined): void {
  const perChunk = typeof previous?.index_mb === 'number' ? (previous.index_mb * 2 ** 20) / Number(previous.n) : 22_000;
  const needed = perChunk * n * 1.2; // the corpus, the corpus cache and the writer's temporary files
  const stats = statfsSync(WORK);
  const free = stats.bavail * stats.bsize;
  if (free < needed) throw new UserError(`not enough disk for ${n} chunks: about ${gb(needed)} GB needed in ${WORK}, ${gb(free)} GB free`);
}

const gb = (bytes: number) => (bytes / 2 ** 30).toFixed(1);

/** Run this bench for one step in a fresh process; its stdout is one JSON object, also kept in .cache/bench/. */
async function step(args: string[], options: StepOptions): Promise<Record<string, unknown>> {
  const saved = path.join(WORK, `${args.slice(0, 2).join('').replace(/\W+/g, '-')}.json`);
  if (options.reuse && existsSync(saved)) return JSON.parse(readFileSync(saved, 'utf8'));
  const result = await runStep(args, options.heapMb);
  writeFileSync(saved, JSON.stringify(result));
  return result;
}

function runStep(args: string[], heapMb: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    // Steps run the code a user runs: the compiled bench (scripts/run.mjs, dist/ rebuilt if stale), not tsx (about 30 MB more RSS).
    const script = path.join(ROOT, 'scripts/run.mjs');
    const proc = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, script, 'bench', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk));
    proc.on('exit', (code, signal) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!))
        : reject(new Error(`bench ${args.join(' ')} exited ${code ?? signal}`)),
    );
  });
}
