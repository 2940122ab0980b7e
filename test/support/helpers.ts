import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SEEDS = path.join(ROOT, 'seeds');
/** The default model: small and fast, and the one the defaults were calibrated for. */
export const TEST_MODEL = 'Xenova/all-MiniLM-L6-v2';
/** The default rerank models (RERANK_MODELS in src/config.ts), so tests exercise the default pipeline. */
export const TEST_RERANK_MODELS = loadConfig({}).RERANK_MODELS;
/** The default quote reader (QUOTE_READER: the committed models/quote-reader), for the same reason. */
export const TEST_READER = loadConfig({}).QUOTE_READER;

export function tempDir(prefix = 'quotebot-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A private copy of the seed corpus that a test may change. */
export function copyOfSeeds(): string {
  const dir = tempDir('corpus-');
  cpSync(SEEDS, dir, { recursive: true });
  return dir;
}

export function modelsDir(): string {
  const dir = process.env.MODELS_DIR;
  if (!dir) throw new Error('MODELS_DIR is not set (test/setup.ts sets it to ../shared/models when that exists)');
  return dir;
}
