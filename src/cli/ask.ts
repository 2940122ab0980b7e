import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { validateAskOptions } from '../core/ask-options.js';
import { excerpt, UserError } from '../core/errors.js';
import type { Answer, AskOptions, QuoteEngine } from '../core/types.js';
import { engineOptions } from '../options.js';
import { assertSomethingIndexed } from './empty-index.js';
import { answerToJson, answerToText } from './format.js';
import { configFromEnv, openCliEngine, runCli, warn } from './run.js';

const USAGE =
  'usage: npm run --silent ask -- [--json] [--k N] [--all-passages] [--claim] [--corpus DIR] [--index DIR] [--publisher NAME] [--after YYYY-MM-DD] [--before YYYY-MM-DD] (--stdin | "question")';

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
      // Find sources for a statement, as the bot's "Find sources" does: the quote reader does not judge it.
      claim: { type: 'boolean', default: false },
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

  const options = engineOptions(configFromEnv(), values);
  const engine = await openCliEngine(options);
  const bold = Boolean(process.stdout.isTTY); // the marked answer in bold only where a terminal shows it
  const format = values.json ? answerToJson : (answer: Answer) => answerToText(answer, { bold });
  if (!values.stdin) {
    const answer = await engine.ask(question, askOptions);
    // Only "not covered" can come from an empty index (listing every document costs 0.05 s at 54,000).
    if (!answer.answered) assertSomethingIndexed(engine, options);
    process.stdout.write(`${format(answer)}\n`);
    return;
  }
  assertSomethingIndexed(engine, options);
  // One answer per input line; a bad line gets an error object (quoting at most 100 characters of it) and the rest still run.
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    await refresh(engine);
    try {
      process.stdout.write(`${format(await engine.ask(line, askOptions))}\n`);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      process.stdout.write(
        `${JSON.stringify({ question: excerpt(line), answered: false, results: [], closest: [], error: error.message })}\n`,
      );
    }
  }
});

/** Like the bot: pick up a newer index (or corpus) before each question, and keep the loaded one if that fails. */
async function refresh(engine: QuoteEngine): Promise<void> {
  try {
    await engine.refresh();
  } catch (error) {
    warn(`could not reload the index (${(error as Error).message}); answering from the one already loaded`);
  }
}

/** The flags as options; `validateAskOptions` checks them and names the bad one as its flag. */
function parseAskOptions(values: {
  k?: string;
  'all-passages'?: boolean;
  claim?: boolean;
  publisher?: string;
  after?: string;
  before?: string;
}): AskOptions {
  const { k, publisher, after, before } = values;
  const options: AskOptions = { allowSameDocument: values['all-passages'] ?? false, publisher, after, before };
  if (values.claim) options.claim = true;
  if (k !== undefined) options.k = Number(k);
  return validateAskOptions(options, (option) => `--${option}`);
}
