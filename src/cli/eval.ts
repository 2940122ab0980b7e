import path from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import { loadBeir } from '../eval/beir.js';
import { Benchmark, MODES, type Mode } from '../eval/benchmark.js';
import { askAll, openQaAnswerer, otherSubjects, questionsByPart, summarise } from '../eval/qa.js';
import { loadSquad } from '../eval/squad.js';
import { modelOptions } from '../options.js';
import { progressBar } from './progress.js';
import { configFromEnv, runCli } from './run.js';

/**
 * `npm run --silent eval -- --beir DIR [--mode M | --all-modes] [--json]`: retrieval quality on a
 * BEIR dataset (test split; fusion weights tuned on the train split when it exists).
 * `npm run --silent eval -- --qa FILE [--sample N] [--json]`: quote quality on a SQuAD v1.1 file
 * through the bot's own pipeline, reported for the tuning and the validation part.
 */
runCli(async () => {
  const { values } = parseArgs({
    strict: true,
    options: {
      beir: { type: 'string' },
      qa: { type: 'string' },
      sample: { type: 'string' },
      mode: { type: 'string', default: 'hybrid+rerank' },
      'all-modes': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      model: { type: 'string' },
      cache: { type: 'string', default: path.join('.cache', 'eval') },
      backend: { type: 'string', default: 'local' },
    },
  });
  if (values.backend !== 'local' && values.backend !== 'postgres')
    throw new UserError(`--backend must be local or postgres, got "${values.backend}"`);
  if (values.qa) return evaluateQa(values.qa, values);
  if (!values.beir)
    throw new UserError(
      '--beir DIR (a folder with corpus.jsonl, queries.jsonl and qrels/test.tsv) or --qa FILE (SQuAD v1.1 JSON) is required',
    );
  if (!values['all-modes'] && !MODES.includes(values.mode as Mode))
    throw new UserError(`--mode must be one of ${MODES.join(', ')}, got "${values.mode}"`);
  const config = configFromEnv();
  if (values.backend === 'postgres' && !config.DATABASE_URL)
    throw new UserError('--backend postgres needs DATABASE_URL (the bot mode indexes into its schema, DATABASE_SCHEMA)');
  const postgres =
    values.backend === 'postgres' ? { databaseUrl: config.DATABASE_URL!, databaseSchema: config.DATABASE_SCHEMA } : undefined;

  const test = await loadBeir(values.beir, 'test');
  const train = await loadBeir(values.beir, 'train').catch(() => null);
  const benchmark = new Benchmark(
    { test, train },
    { ...modelOptions(config), model: values.model ?? config.EMBEDDING_MODEL, cacheDir: values.cache, onProgress: progressBar, postgres },
  );
  const dataset = path.basename(path.resolve(values.beir));
  for (const mode of values['all-modes'] ? MODES : [values.mode as Mode]) {
    const { bm25Weight, tuning, ...result } = await benchmark.run(mode);
    if (bm25Weight !== null) process.stderr.write(`${mode}: BM25 weight ${bm25Weight} (chosen on the train split; ${tuning})\n`);
    const row = { dataset, backend: values.backend, ...result };
    process.stdout.write(
      values.json
        ? `${JSON.stringify(row)}\n`
        : `${Object.entries(row)
            .map(([k, v]) => `${k}=${v}`)
            .join('  ')}\n`,
    );
  }
});

/** One JSON object: the whole set's numbers at the top level, and each part's under its name. */
async function evaluateQa(file: string, values: { sample?: string; json: boolean; model?: string; cache: string }): Promise<void> {
  const sample = values.sample === undefined ? undefined : Number(values.sample);
  if (sample !== undefined && !(Number.isInteger(sample) && sample > 0))
    throw new UserError(`--sample must be a positive whole number, got "${values.sample}"`);
  const config = configFromEnv();
  const articles = await loadSquad(file);
  const options = {
    ...modelOptions(config),
    model: values.model ?? config.EMBEDDING_MODEL,
    cacheDir: values.cache,
    onProgress: progressBar,
  };
  const { answerer, embedders } = await openQaAnswerer(articles, options);
  const { tuning, validation } = questionsByPart(articles, sample);
  const tuned = await askAll(answerer, tuning);
  const validated = await askAll(answerer, validation);
  const row = {
    dataset: path.basename(file),
    ...summarise([...tuned, ...validated]),
    tuning: summarise(tuned),
    validation: summarise(validated),
    // The validation part's questions over the tuning part's articles alone: all should be "not covered".
    validation_over_other_subjects: await otherSubjects(articles, validation, { ...options, embedders }),
  };
  process.stdout.write(values.json ? `${JSON.stringify(row)}\n` : `${JSON.stringify(row, null, 2)}\n`);
}
