/**
 * `npm run --silent bench -- --json`: speed and memory of the default configuration at archive
 * sizes, as one JSON object (docs/performance.md). Defaults finish in about ten minutes on 2 cores;
 *   --sizes 1000,10000,100000   corpus sizes in chunks (end to end: ingest, graph, questions, memory,
 *                               cold start from 100,000 up and at the largest)
 *   --real-max 1000             sizes up to this are embedded by the real models; larger ones get
 *                               model-made vectors (bench/synthetic-embedder.ts) and their ingest
 *                               time adds the embedding time measured at the largest real size
 *   --index-sizes 100000        HNSW alone on model-made vectors, several ef settings
 *   --embed-texts 1500          sentences for the embedding comparison with the plain pipeline
 *   --reuse                     keep the results of steps already run (in .cache/bench/)
 *   --heap-mb N                 old-space heap of each step's process (default: 60% of memory)
 *   --svg FILE                  where the growth plot goes (default docs/images/bench-growth.svg)
 *   --plot RESULT.json          only redraw the plot from a saved result (.cache/bench/result.json)
 * Each step runs in its own process (bench/run-sizes.ts), so memory figures are that size's alone.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cpuInfo } from '../bench/cpu.js';
import { embeddingThroughput } from '../bench/embedding-throughput.js';
import { type GrowthInput, growthSvg } from '../bench/growth-plot.js';
import { indexOnly } from '../bench/index-only.js';
import { projectTenMillion } from '../bench/projection.js';
import { defaultHeapMb, indexOnlySizes, measureSizes, type StepOptions } from '../bench/run-sizes.js';
import { serveSize } from '../bench/serve.js';
import { buildSize, ROOT, WORK } from '../bench/sizes.js';
import { targetsReport } from '../bench/targets.js';
import type { Config } from '../config.js';
import { UserError } from '../core/errors.js';
import { HNSW_PARAMS } from '../index/graph.js';
import { modelOptions } from '../options.js';
import { configFromEnv, runCli } from './run.js';

/** The last full run's result, what `--plot` redraws by default. */
const LAST_RESULT = path.join(WORK, 'result.json');

function parseFlags() {
  return parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      sizes: { type: 'string', default: '1000,10000' },
      'real-max': { type: 'string', default: '1000' },
      'index-sizes': { type: 'string', default: '100000' },
      'embed-texts': { type: 'string', default: '1500' },
      datasets: { type: 'string', default: path.resolve(ROOT, '../shared/datasets') },
      reuse: { type: 'boolean', default: false },
      'heap-mb': { type: 'string' },
      svg: { type: 'string', default: path.join(ROOT, 'docs/images/bench-growth.svg') },
      plot: { type: 'string' },
      // Internal: one step in its own process.
      build: { type: 'string' },
      serve: { type: 'string' },
      'index-only': { type: 'string' },
      'embed-s-per-1000': { type: 'string' },
    },
  }).values;
}

type BenchFlags = ReturnType<typeof parseFlags>;

runCli(async () => {
  const values = parseFlags();
  if (values.plot) return writePlot(readResult(values.plot), values.svg);
  const config = configFromEnv();
  const models = modelOptions(config);
  if (values.build)
    return print(
      await buildSize(Number(values.build), Number(values['real-max']), values.datasets, models, Number(values['embed-s-per-1000'] ?? NaN)),
    );
  if (values.serve) return print(await serveSize(Number(values.serve), values.datasets, models));
  if (values['index-only']) return print(await indexOnly(Number(values['index-only']), values.datasets, models));

  await fullRun(values, config);
});

/** Every step at every size, then the targets, the projection and the plot. */
async function fullRun(values: BenchFlags, config: Config): Promise<void> {
  const models = modelOptions(config);
  mkdirSync(WORK, { recursive: true });
  const steps: StepOptions = {
    datasets: values.datasets,
    realMax: Number(values['real-max']),
    reuse: values.reuse,
    heapMb: values['heap-mb'] ? positive('--heap-mb', values['heap-mb']) : defaultHeapMb(),
  };
  const cpu = cpuInfo();
  const embedding = await embeddingThroughput(values.datasets, models, Number(values['embed-texts']), cpu.peakInt8OpsPerSecond);
  const sizes = await measureSizes(parseSizes(values.sizes), steps);
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
    hnsw: HNSW_PARAMS,
    step_heap_mb: steps.heapMb,
    sizes,
    index_only: await indexOnlySizes(parseSizes(values['index-sizes']), steps),
    targets: targetsReport(sizes, cpu.extensions),
    projection_10m: projectTenMillion(sizes),
  };
  writeFileSync(LAST_RESULT, JSON.stringify(result));
  writePlot(result, values.svg);
  print(result);
}

function print(result: object): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function readResult(file: string): GrowthInput {
  if (!existsSync(file)) throw new UserError(`--plot ${file}: no such file (a full run saves its result in ${LAST_RESULT})`);
  const result = JSON.parse(readFileSync(file, 'utf8')) as GrowthInput;
  if (!Array.isArray(result.sizes)) throw new UserError(`--plot ${file}: not a bench result (it has no "sizes" list)`);
  return result;
}

function writePlot(result: GrowthInput & { cpu?: { model?: string } }, file: string): void {
  const caption = result.cpu?.model ? `${result.cpu.model}.` : '';
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, growthSvg({ ...result, caption }));
  process.stderr.write(`bench: growth plot written to ${path.resolve(file)}\n`);
}

function parseSizes(text: string): number[] {
  return text
    .split(',')
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`${flag} must be a whole number above 0, not ${text}`);
  return n;
}
