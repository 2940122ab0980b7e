import { parseArgs } from 'node:util';
import { loadCorpus } from '../corpus/corpus.js';
import { loadEmbedders } from '../embedding/embedder.js';
import { ingest } from '../index/ingest.js';
import { progressBar } from './progress.js';
import { cliEngineOptions, configFromEnv, formatSummary, runCli } from './run.js';

/** `npm run ingest [-- --corpus DIR --index DIR]`: build or update the index, embedding only what changed. */
runCli(async () => {
  const { values } = parseArgs({ options: { corpus: { type: 'string' }, index: { type: 'string' } }, strict: true });
  const options = cliEngineOptions(configFromEnv(), values);
  const corpus = loadCorpus(options.corpusDir);
  for (const { file, reason } of corpus.skipped) process.stderr.write(`warning: skipped ${file}: ${reason}\n`);
  for (const { file, message } of corpus.warnings ?? []) process.stderr.write(`warning: ${file}: ${message}\n`);
  const embedders = await loadEmbedders(options);
  const { summary } = await ingest(corpus, embedders, options.indexDir, {
    onProgress: progressBar('embedding'),
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
  });
  process.stderr.write(`${formatSummary(summary)}\n`);
});
