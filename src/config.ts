import 'dotenv/config';
import { z } from 'zod';
import { MODEL_SPECS } from './embedding/models.js';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** An empty variable (as `VAR=` in .env) means "use the default", not zero. */
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * Only models whose pooling and prefixes are known (src/embedding/models.ts) can be used correctly.
 * The message never repeats the value: a mistyped variable may hold anything, even a secret.
 */
const knownModel = z.string().refine((name) => name in MODEL_SPECS, {
  error: () => `not a known model; use one of ${Object.keys(MODEL_SPECS).join(', ')}`,
});

/** The levels pino accepts; src/logger.ts falls back to info for anything else, and this schema names the variable. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every environment variable the project reads, with its default. Documented in .env.example. */
/** A postgres:// or postgresql:// URL. The message never repeats the value: it holds a password. */
const databaseUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional()
  .refine((value) => value === undefined || isDatabaseUrl(value), { error: () => 'must be a postgres://user:password@host:port/database URL' });

function isDatabaseUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1 && (url.port === '' || /^\d+$/.test(url.port));
  } catch {
    return false;
  }
}

const objectSchema = z.object({
  LOG_LEVEL: z.preprocess(emptyAsUnset, z.enum(LOG_LEVELS).default('info')),
  CORPUS_DIR: z.string().min(1).default('seeds'),
  INDEX_DIR: z.string().min(1).default('embeddings'),
  MODELS_DIR: optionalString,
  EMBEDDING_MODEL: z.preprocess(emptyAsUnset, knownModel.default('Xenova/all-MiniLM-L6-v2')),
  RERANK_MODELS: z
    .preprocess(emptyAsUnset, z.string().default('Xenova/bge-small-en-v1.5,Xenova/e5-small-v2'))
    .transform((value) => (value.trim() === 'none' ? [] : value.split(',').map((name) => name.trim()).filter(Boolean)))
    .pipe(z.array(knownModel)),
  ANSWER_MIN_RELEVANCE: z.preprocess(emptyAsUnset, z.coerce.number().min(-1).max(1).optional()),
  DISCORD_TOKEN: optionalString,
  DISCORD_CLIENT_ID: optionalString.refine((v) => v === undefined || /^\d{17,20}$/.test(v), 'must be a numeric application id'),
  DISCORD_GUILD_ID: optionalString.refine((v) => v === undefined || /^\d{17,20}$/.test(v), 'must be a numeric guild id'),
  DISCORD_API_URL: z.string().url().default('https://discord.com/api'),
  COOLDOWN_SECONDS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(3600).default(5)),
  WATCH_CORPUS: z.preprocess(emptyAsUnset, booleanFlag.default(false)),
  /** Questions that may wait for the engine (running included) before the bot answers "busy, try again". */
  QUEUE_SIZE: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(10_000).default(16)),
  /** Larger corpus files are skipped with a warning: one huge file would stall ingest and fill memory. */
  MAX_DOCUMENT_BYTES: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).default(5_000_000)),
  IMPORT_ALLOW_PRIVATE_HOSTS: z.preprocess(emptyAsUnset, booleanFlag.default(false)),
  FETCH_TIMEOUT_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(100).max(300_000).default(15_000)),
  MAX_FETCH_BYTES: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(5 * 1024 * 1024)),
  MAX_UPLOAD_BYTES: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1024).max(25 * 1024 * 1024).default(2 * 1024 * 1024)),
  /** Where the index lives: hnswlib files in INDEX_DIR (local), or PostgreSQL with pgvector at DATABASE_URL. */
  INDEX_BACKEND: z.preprocess(emptyAsUnset, z.enum(['local', 'postgres']).default('local')),
  DATABASE_URL: databaseUrl,
  /** Schema of the index's tables in that database. */
  DATABASE_SCHEMA: z.preprocess(emptyAsUnset, z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier').default('quotebot')),
});

export const configSchema = objectSchema.superRefine((config, context) => {
  if (config.INDEX_BACKEND === 'postgres' && !config.DATABASE_URL) {
    context.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when INDEX_BACKEND=postgres' });
  }
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/**
 * Parse the environment once; a bad variable fails fast with every problem named on one line. The
 * line names variables, never their values (zod's own messages do not quote the input either).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
