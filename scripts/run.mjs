#!/usr/bin/env node
/**
 * `node scripts/run.mjs <command> [args]`: what the npm scripts run. Runs src/cli/<command>.ts as
 * compiled in dist/cli/<command>.js, building dist/ first when it is missing or older than src/
 * (scripts/build.mjs), so a fresh clone and an edited checkout both run current code without tsx's
 * start-up cost (about half a second). Development and tests keep running the sources with tsx.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfStale, DIST } from './build.mjs';

const [command, ...args] = process.argv.slice(2);
const entry = command ? path.join(DIST, 'cli', `${command}.js`) : '';
await buildIfStale();
if (!command || !existsSync(entry)) {
  process.stderr.write(`error: no command ${JSON.stringify(command ?? '')} in src/cli (usage: node scripts/run.mjs <command> [args])\n`);
  process.exit(2);
}
// The command parses process.argv as if it had been started itself.
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
