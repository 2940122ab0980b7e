/**
 * `npm run --silent bench -- --json`: speed and memory of the default configuration at archive
 * sizes, as one JSON object (README, "Speed"). Defaults finish in about ten minutes on 2 cores;
 *   --sizes 1000,10000,100000   corpus sizes in chunks (end to end: ingest, questions, memory)
 *   --real-max 1000             sizes up to this are embedded by the real models; larger ones get
 *                               model-made vectors (bench/synthetic-embedder.ts) and their ingest
 *                               time adds the embedding time measured at the largest real size
 *   --index-sizes 100000        HNSW alone on model-made vectors (add 1000000 for a million)
 *   --embed-texts 1500          sentences for the embedding comparison with the plain pipeline
 *   --reuse                     keep the results of steps already run (in .cache/bench/)
 * Each size runs in its own process, so memory figures are that size's alone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cpuInfo } from '../bench/cpu.js';
import { embeddingThroughput } from '../bench/embedding-throughput.js';
import { indexOnly } from '../bench/index-only.js';
import { buildSize, coldStart, ROOT, serveSize, WORK } from '../bench/sizes.js';
import { targetsReport } from '../bench/targets.js';
import { HNSW_PARAMS } from '../index/graph.js';
import { modelOptions } from '../options.js';
import { configFromEnv, runCli } from './run.js';

let reuse = false;

runCli(async () => {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      sizes: { type: 'string', default: '1000,10000' },
      'real-max': { type: 'string', default: '1000' },
      'index-sizes': { type: 'string', default: '100000' },
      'embed-texts': { type: 'string', default: '1500' },
      datasets: { type: 'string', default: path.resolve(ROOT, '../shared/datasets') },
      // Internal: one size in its own process.
      build: { type: 'string' },
      serve: { type: 'string' },
      'index-only': { type: 'string' },
      'embed-s-per-1000': { type: 'string' },
      reuse: { type: 'boolean', default: false },
    },
  });
  reuse = values.reuse;
  const config = configFromEnv();
  const models = modelOptions(config);
  if (values.build)
    return print(
      await buildSize(Number(values.build), Number(values['real-max']), values.datasets, models, Number(values['embed-s-per-1000'] ?? NaN)),
    );
  if (values.serve) return print(await serveSize(Number(values.serve), values.datasets, models));
  if (values['index-only']) return print(await indexOnly(Number(values['index-only']), values.datasets, models));

  mkdirSync(WORK, { recursive: true });
  const cpu = cpuInfo();
  const embedding = await embeddingThroughput(values.datasets, models, Number(values['embed-texts']), cpu.peakInt8OpsPerSecond);
  const sizes = await measureSizes(parseSizes(values.sizes), values['real-max'], values.datasets);
  const largest = parseSizes(values.sizes).at(-1)!;
  const indexOnlySizes: Record<string, unknown>[] = [];
  for (const n of parseSizes(values['index-sizes']))
    indexOnlySizes.push(await child(['--index-only', String(n), '--datasets', values.datasets]));
  const result = {
    cpu: {
      model: cpu.model,
      cores: cpu.cores,
      mhz: cpu.mhz,
      extensions: cpu.extensions,
      vector_bits: cpu.vectorBits,
      int8_ops_per_cycle_per_core: cpu.int8OpsPerCycle,
    },
    models: [config.EMBEDDING_MODEL, ...config.RERANK_MODELS],
    ...embedding,
    cold_start_ms: coldStart(largest),
    cold_start_chunks: largest,
    hnsw: HNSW_PARAMS,
    sizes,
    index_only: indexOnlySizes,
  };
  print({ ...result, targets: targetsReport(sizes, embedding, result.cold_start_ms) });
});

/** Each size built, then served, in processes of their own; an embedding time measured at one size is passed on to the next. */
async function measureSizes(ns: number[], realMax: string, datasets: string): Promise<Record<string, unknown>[]> {
  const sizes: Record<string, unknown>[] = [];
  let embedSecondsPer1000: number | undefined;
  for (const n of ns) {
    const args = ['--build', String(n), '--real-max', realMax, '--datasets', datasets];
    if (embedSecondsPer1000 !== undefined) args.push('--embed-s-per-1000', String(embedSecondsPer1000));
    const built = await child(args);
    if (built.embedding === 'measured') embedSecondsPer1000 = built.embed_s_per_1000_chunks as number;
    const served = await child(['--serve', String(n), '--datasets', datasets]);
    sizes.push({ ...built, ...served });
  }
  return sizes;
}

function print(result: object): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function parseSizes(text: string): number[] {
  return text
    .split(',')
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

/**
 * Run this script for one size in a fresh process; its stdout is one JSON object, also kept in
 * .cache/bench/ (with --reuse, a step whose result is there is not run again).
 */
async function child(args: string[]): Promise<Record<string, unknown>> {
  const saved = path.join(WORK, `${args.slice(0, 2).join('').replace(/\W+/g, '-')}.json`);
  if (reuse && existsSync(saved)) return JSON.parse(readFileSync(saved, 'utf8'));
  const result = await runChild(args);
  writeFileSync(saved, JSON.stringify(result));
  return result;
}

function runChild(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/bench.ts'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk));
    proc.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`bench ${args.join(' ')} exited ${code}`)),
    );
  });
}
