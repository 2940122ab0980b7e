import type { Engine, EngineHooks, EngineOptions } from '../backend/types.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { UserError } from '../core/errors.js';
import { count } from '../core/plural.js';
import { visibleControls } from '../core/terminal-text.js';
import { openEngine } from '../engine/open.js';
import type { IngestSummary } from '../index/ingest.js';
import { IndexCorruptError } from '../index/manifest.js';
import { indexFolder } from '../local/backend.js';
import { logger } from '../logger.js';
import { progressBar } from './progress.js';

/**
 * Run a CLI entry point: a mistake the user can fix prints one line on stderr and exits 2;
 * anything else is a bug and exits 1 (with its stack when LOG_LEVEL=debug).
 */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (isUserMistake(error)) {
      process.stderr.write(`error: ${visibleControls(userMessage(error as Error))}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`error: ${visibleControls(error instanceof Error ? error.message : String(error))}\n`);
    logger.debug({ err: error }, 'unexpected failure');
    process.exitCode = 1;
  });
}

function isUserMistake(error: unknown): boolean {
  if (error instanceof UserError || error instanceof ConfigError || error instanceof IndexCorruptError) return true;
  // node:util parseArgs rejects unknown flags and bad values with these codes.
  return typeof (error as { code?: unknown })?.code === 'string' && (error as { code: string }).code.startsWith('ERR_PARSE_ARGS');
}

/** node:util parseArgs's unknown-option hint leaves its quote open (`as in '-- "--jsn"`): closed here. */
function userMessage(error: Error): string {
  return error.message.replace(/as in '-- (".*")$/, "as in '-- $1'");
}

export function configFromEnv(): Config {
  return loadConfig();
}

/** Open the engine with the CLI's conventions: progress bar and warnings on stderr, summary logged. */
export async function openCliEngine(options: EngineOptions): Promise<Engine> {
  return openEngine(options, cliEngineHooks(options));
}

/** The CLI's conventions for an engine: progress bar and warnings on stderr, ingest summary printed. */
export function cliEngineHooks(options: Pick<EngineOptions, 'indexDir'>): EngineHooks {
  return {
    onProgress: progressBar('embedding'),
    onWarning: warn,
    // An engine only ever ingests into local files (a PostgreSQL index is published by npm run ingest).
    onIngest: (summary) => process.stderr.write(`${formatSummary(summary, indexFolder(options.indexDir))}\n`),
  };
}

/** `warning: …` on stderr. File names and front matter values are the corpus's text: their control characters are shown, not sent. */
export function warn(message: string): void {
  process.stderr.write(`warning: ${visibleControls(message)}\n`);
}

/** The ingest summary (file names with their control characters shown); `publishedTo` says where the index was written (`indexFolder`, or a database schema). */
export function formatSummary(summary: IngestSummary, publishedTo: string): string {
  const lines = [
    `indexed ${count(summary.documents, 'document')} (${count(summary.chunks, 'chunk')}, ${count(summary.sentences, 'sentence')}) in ${summary.seconds} s`,
    `  added ${summary.added.length}, changed ${summary.changed.length}, removed ${summary.removed.length}, unchanged ${summary.unchanged}, skipped ${summary.skipped.length}`,
    `  published to ${publishedTo}`,
  ];
  if (summary.fullRebuild) lines.push(`  full rebuild: ${summary.fullRebuild}`);
  for (const id of summary.added) lines.push(`  + ${id}`);
  for (const id of summary.changed) lines.push(`  ~ ${id}`);
  for (const id of summary.removed) lines.push(`  - ${id}`);
  for (const { file, reason } of summary.skipped) lines.push(`  ! ${file}: ${reason}`);
  return visibleControls(lines.join('\n'));
}
