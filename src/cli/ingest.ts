import { parseArgs } from 'node:util';
import { engineOptions } from '../options.js';
import { indexCorpus } from './index-corpus.js';
import { configFromEnv, runCli } from './run.js';

/** `npm run ingest [-- --corpus DIR --index DIR]`: build or update the index, embedding only what changed. */
runCli(async () => {
  const { values } = parseArgs({ options: { corpus: { type: 'string' }, index: { type: 'string' } }, strict: true });
  await indexCorpus(engineOptions(configFromEnv(), values));
});
