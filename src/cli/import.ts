import path from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import { importSources } from '../import/importer.js';
import { formatReport, reportCounts } from '../import/report.js';
import { engineOptions, fetchPolicy } from '../options.js';
import { indexCorpus } from './index-corpus.js';
import { configFromEnv, runCli } from './run.js';

const USAGE =
  'usage: npm run import -- [HTML files or folders] [--url URL] [--jsonl FILE] [--feed URL] [--out DIR] [--folder SUB] [--limit N] [--replace] [--index DIR] [--no-ingest]';

/**
 * `npm run import`: saved web pages, web pages, JSONL exports and RSS/Atom feeds become Markdown files
 * with front matter in the corpus folder; then the index is brought up to date (only what changed is embedded).
 */
runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: 'string', multiple: true },
      jsonl: { type: 'string', multiple: true },
      feed: { type: 'string', multiple: true },
      out: { type: 'string' },
      folder: { type: 'string' },
      limit: { type: 'string' },
      index: { type: 'string' },
      'no-ingest': { type: 'boolean' },
      replace: { type: 'boolean' },
    },
  });
  const sources = { html: positionals, urls: values.url ?? [], jsonl: values.jsonl ?? [], feeds: values.feed ?? [] };
  if (Object.values(sources).every((list) => list.length === 0)) throw new UserError(`nothing to import; ${USAGE}`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UserError('--limit must be a whole number above 0');
  if (
    values.folder !== undefined &&
    (!/^[\w.-]+(\/[\w.-]+)*$/.test(values.folder) || values.folder.split('/').some((part) => /^\.+$/.test(part)))
  ) {
    throw new UserError('--folder must be a relative path of plain names, such as bbc/2024');
  }

  const config = configFromEnv();
  const outDir = values.out ?? config.CORPUS_DIR;
  const report = await importSources(sources, {
    outDir,
    folder: values.folder,
    limit,
    replace: values.replace ?? false,
    fetch: fetchPolicy(config),
  });
  process.stdout.write(`${formatReport(report)}\n`);
  const counts = reportCounts(report);
  if (counts.imported + counts.updated + counts.unchanged === 0) {
    throw new UserError(
      `nothing imported: ${counts.skipped === 1 ? (report.entries[0] as { reason: string }).reason : `all ${counts.skipped} sources were skipped`}`,
    );
  }

  // Indexing another folder into the configured index would replace the bot's corpus with it.
  const otherFolder = values.index === undefined && path.resolve(outDir) !== path.resolve(config.CORPUS_DIR);
  if (!values['no-ingest'] && otherFolder)
    process.stderr.write(`not indexed: ${outDir} is not CORPUS_DIR; run npm run ingest -- --corpus ${outDir} --index DIR\n`);
  if (!values['no-ingest'] && !otherFolder) await indexCorpus(engineOptions(config, { corpus: outDir, index: values.index }));
  // What was imported is in the corpus (and indexed); the status still says that not everything was.
  if (counts.skipped > 0) {
    process.stderr.write(`error: ${counts.skipped} of ${report.entries.length} sources were not imported (each is named in the report)\n`);
    process.exitCode = 1;
  }
});
