import path from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import { loadBeir } from '../eval/beir.js';
import { Benchmark, MODES, type Mode } from '../eval/benchmark.js';
import { progressBar } from './progress.js';
import { configFromEnv, runCli } from './run.js';

/**
 * `npm run --silent eval -- --beir DIR [--mode M | --all-modes] [--json]`: retrieval quality on a
 * BEIR dataset (test split; fusion weights tuned on the train split when it exists).
 */
runCli(async () => {
  const { values } = parseArgs({
    strict: true,
    options: {
      beir: { type: 'string' },
      mode: { type: 'string', default: 'hybrid+rerank' },
      'all-modes': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      model: { type: 'string' },
      cache: { type: 'string', default: path.join('.cache', 'eval') },
    },
  });
  if (!values.beir) throw new UserError('--beir DIR is required (a folder with corpus.jsonl, queries.jsonl and qrels/test.tsv)');
  if (!values['all-modes'] && !MODES.includes(values.mode as Mode)) throw new UserError(`--mode must be one of ${MODES.join(', ')}, got "${values.mode}"`);
  const config = configFromEnv();

  const test = await loadBeir(values.beir, 'test');
  const train = await loadBeir(values.beir, 'train').catch(() => null);
  const benchmark = new Benchmark(
    { test, train },
    { model: values.model ?? config.EMBEDDING_MODEL, rerankModels: config.RERANK_MODELS, modelsDir: config.MODELS_DIR, cacheDir: values.cache, onProgress: progressBar },
  );
  const dataset = path.basename(path.resolve(values.beir));
  for (const mode of values['all-modes'] ? MODES : [values.mode as Mode]) {
    const { bm25Weight, tuning, ...result } = await benchmark.run(mode);
    if (bm25Weight !== null) process.stderr.write(`${mode}: BM25 weight ${bm25Weight} (chosen on the train split; ${tuning})\n`);
    const row = { dataset, ...result };
    process.stdout.write(values.json ? `${JSON.stringify(row)}\n` : `${Object.entries(row).map(([k, v]) => `${k}=${v}`).join('  ')}\n`);
  }
});
