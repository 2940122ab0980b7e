import { copyFileSync, existsSync } from 'node:fs';
import { engineOptions } from '../options.js';
import { indexCorpus } from './index-corpus.js';
import { configFromEnv, runCli } from './run.js';

/** `npm run setup`: create .env from .env.example on a fresh checkout, then build the index. */
runCli(async () => {
  if (!existsSync('.env')) {
    copyFileSync('.env.example', '.env');
    process.stderr.write('created .env from .env.example (edit it to add a Discord token or change the model folder)\n');
  }
  // The config module read the environment before .env existed: read it again, then index.
  (await import('dotenv')).config();
  await indexCorpus(engineOptions(configFromEnv(), {}));
});
