import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { isIsoDate } from '../config.js';
import { UserError } from '../core/errors.js';
import type { AskOptions } from '../core/types.js';
import { answerToJson, answerToText } from './format.js';
import { cliEngineOptions, configFromEnv, openCliEngine, runCli } from './run.js';

const USAGE = 'usage: npm run --silent ask -- [--json] [--k N] [--all-passages] [--corpus DIR] [--index DIR] [--publisher NAME] [--after YYYY-MM-DD] [--before YYYY-MM-DD] (--stdin | "question")';

/** `npm run ask -- "question"`: answer one question (or one per stdin line) by quoting the corpus. */
runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      stdin: { type: 'boolean', default: false },
      k: { type: 'string' },
      'all-passages': { type: 'boolean', default: false },
      corpus: { type: 'string' },
      index: { type: 'string' },
      publisher: { type: 'string' },
      after: { type: 'string' },
      before: { type: 'string' },
    },
  });
  const askOptions = parseAskOptions(values);
  const question = positionals.join(' ');
  if (!values.stdin && question.trim() === '') throw new UserError(`the question is empty; ${USAGE}`);
  if (values.stdin && question) throw new UserError('give either --stdin or a question, not both');

  const engine = await openCliEngine(cliEngineOptions(configFromEnv(), values));
  const format = values.json ? answerToJson : answerToText;
  if (!values.stdin) {
    process.stdout.write(`${format(await engine.ask(question, askOptions))}\n`);
    return;
  }
  // One answer per input line; a bad line gets an error object and the rest still run.
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    try {
      process.stdout.write(`${format(await engine.ask(line, askOptions))}\n`);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      process.stdout.write(`${JSON.stringify({ question: line, answered: false, results: [], error: error.message })}\n`);
    }
  }
});

function parseAskOptions(values: { k?: string; 'all-passages'?: boolean; publisher?: string; after?: string; before?: string }): AskOptions {
  const options: AskOptions = { allowSameDocument: values['all-passages'] ?? false };
  if (values.k !== undefined) {
    const k = Number(values.k);
    if (!Number.isInteger(k) || k < 1 || k > 50) throw new UserError(`--k must be a whole number from 1 to 50, got "${values.k}"`);
    options.k = k;
  }
  for (const flag of ['after', 'before'] as const) {
    const value = values[flag];
    if (value !== undefined && !isIsoDate(value)) throw new UserError(`--${flag} must be a date as YYYY-MM-DD, got "${value}"`);
    options[flag] = value;
  }
  if (values.publisher) options.publisher = values.publisher;
  return options;
}
