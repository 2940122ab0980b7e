#!/usr/bin/env node
/**
 * `npm run build`: src/ compiled to dist/, one .js file per .ts file (same folders, so the bot's
 * command registry and the worker and shard entry points find their files as they do under tsx).
 * esbuild, the compiler tsx itself runs on, so the code that runs is the code the tests ran; it
 * compiles src/ in about a second where `tsc` takes tens of seconds (types are checked by
 * `npm run typecheck`, not here).
 *
 * Plain JavaScript: it must run before anything is compiled. `buildIfStale` is what scripts/run.mjs
 * calls before every command.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');
const SRC = path.join(ROOT, 'src');
export const DIST = path.join(ROOT, 'dist');
/** Written last: dist/ is complete when it exists, and as new as its modification time. */
const STAMP = path.join(DIST, '.built');
const LOCK = path.join(ROOT, '.cache', 'build.lock');

/** The .ts files of src/ (declarations excluded), relative to the root. */
function sources() {
  return readdirSync(SRC, { recursive: true })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => path.join(SRC, file));
}

/** dist/ is missing, or older than a file of src/ (or than this script, or the folder listing of src/ itself: a file removed). */
export function isStale() {
  const built = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return true;
  const inputs = [fileURLToPath(import.meta.url), ...sources()];
  for (const dir of readdirSync(SRC, { recursive: true, withFileTypes: true }))
    if (dir.isDirectory()) inputs.push(path.join(dir.parentPath, dir.name));
  inputs.push(SRC);
  return inputs.some((file) => statSync(file).mtimeMs > built);
}

/** Compile src/ into a fresh folder, then put it in place of dist/ (a file removed from src/ leaves nothing behind). */
export async function build() {
  const { build: esbuild } = await import('esbuild');
  const fresh = `${DIST}.tmp-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  await esbuild({
    entryPoints: sources(),
    outdir: fresh,
    outbase: SRC,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  writeFileSync(path.join(fresh, '.built'), '');
  const old = `${DIST}.old-${process.pid}`;
  try {
    renameSync(DIST, old);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  renameSync(fresh, DIST);
  rmSync(old, { recursive: true, force: true });
}

/**
 * Build when dist/ is stale. One process builds at a time (a lock folder); the others wait for it
 * and then find dist/ current. A lock older than a minute is left by a process that died.
 */
export async function buildIfStale() {
  if (!isStale()) return;
  mkdirSync(path.dirname(LOCK), { recursive: true });
  for (const started = Date.now(); ; ) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 60_000 || Date.now() - started > 120_000) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    if (isStale()) await build();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  await build();
  process.stderr.write(`built dist/ from src/ in ${Math.round(performance.now() - started)} ms\n`);
}
