import 'dotenv/config';
import { z } from 'zod';
import { MAX_QUEUE } from './bot/queue/queue-bound.js';
import { DEFAULT_READER_DIR, MODEL_SPECS } from './embedding/models.js';

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

/** More shards than this is a typo (a pasted id), not a plan: each shard is a process with its own models. */
export const MAX_SHARDS = 4096;

/**
 * SHARDS: unset or 1 = one process (no sharding); `auto` = as many as Discord recommends
 * (GET /gateway/bot); a whole number N = N gateway shards, each its own process.
 */
const shardSetting = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => value === 'auto' || (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_SHARDS), {
    error: () => `must be auto or a whole number of shards from 1 to ${MAX_SHARDS}`,
  })
  .transform((value): 'auto' | number => (value === 'auto' ? 'auto' : Number(value)));

/** QUEUE_SIZE: `auto` or a whole number from 1 to MAX_QUEUE. */
const queueSize = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => value === 'auto' || (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_QUEUE), {
    error: () => `must be auto or a whole number from 1 to ${MAX_QUEUE}`,
  })
  .transform((value): 'auto' | number => (value === 'auto' ? 'auto' : Number(value)));

/** The levels pino accepts; src/logger.ts falls back to info for anything else, and this schema names the variable. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A postgres:// or postgresql:// URL. The message never repeats the value: it holds a password. */
const databaseUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional()
  .refine((value) => value === undefined || isDatabaseUrl(value), {
    error: () => 'must be a postgres://user:password@host:port/database URL',
  });

function isDatabaseUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'postgres:' || url.protocol === 'postgresql:') &&
      url.hostname !== '' &&
      url.pathname.length > 1 &&
      (url.port === '' || /^\d+$/.test(url.port))
    );
  } catch {
    return false;
  }
}

/** Every environment variable the project reads, with its default. Documented in .env.example. */
const objectSchema = z.object({
  LOG_LEVEL: z.preprocess(emptyAsUnset, z.enum(LOG_LEVELS).default('info')),
  CORPUS_DIR: z.string().min(1).default('seeds'),
  INDEX_DIR: z.string().min(1).default('embeddings'),
  MODELS_DIR: optionalString,
  EMBEDDING_MODEL: z.preprocess(emptyAsUnset, knownModel.default('Xenova/all-MiniLM-L6-v2')),
  RERANK_MODELS: z
    .preprocess(emptyAsUnset, z.string().default('Xenova/bge-small-en-v1.5,Xenova/e5-small-v2'))
    .transform((value) =>
      value.trim() === 'none'
        ? []
        : value
            .split(',')
            .map((name) => name.trim())
            .filter(Boolean),
    )
    .pipe(z.array(knownModel)),
  /** The quote reader's folder; `none` quotes with the fitted signals alone. */
  QUOTE_READER: z
    .preprocess(emptyAsUnset, z.string().default(DEFAULT_READER_DIR))
    .transform((value) => (value.trim() === 'none' ? null : value)),
  ANSWER_MIN_RELEVANCE: z.preprocess(emptyAsUnset, z.coerce.number().min(-1).max(1).optional()),
  DISCORD_TOKEN: optionalString,
  DISCORD_CLIENT_ID: optionalString.refine((v) => v === undefined || /^\d{17,20}$/.test(v), 'must be a numeric application id'),
  DISCORD_GUILD_ID: optionalString.refine((v) => v === undefined || /^\d{17,20}$/.test(v), 'must be a numeric guild id'),
  DISCORD_API_URL: z.string().url().default('https://discord.com/api'),
  COOLDOWN_SECONDS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(3600).default(5)),
  WATCH_CORPUS: z.preprocess(emptyAsUnset, booleanFlag.default(false)),
  /**
   * The most questions that may wait for the engine (running included) before the bot answers "busy,
   * try again"; `auto`: as many as the measured answer time lets it answer within Discord's 15-minute
   * reply window (src/bot/queue/queue-bound.ts). A number caps that bound further.
   */
  QUEUE_SIZE: z.preprocess(emptyAsUnset, queueSize.default('auto')),
  /** Larger corpus files are skipped with a warning: one huge file would stall ingest and fill memory. */
  MAX_DOCUMENT_BYTES: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).default(5_000_000)),
  IMPORT_ALLOW_PRIVATE_HOSTS: z.preprocess(emptyAsUnset, booleanFlag.default(false)),
  FETCH_TIMEOUT_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(100).max(300_000).default(15_000)),
  MAX_FETCH_BYTES: z.preprocess(
    emptyAsUnset,
    z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(5 * 1024 * 1024),
  ),
  MAX_UPLOAD_BYTES: z.preprocess(
    emptyAsUnset,
    z.coerce
      .number()
      .int()
      .min(1024)
      .max(25 * 1024 * 1024)
      .default(2 * 1024 * 1024),
  ),
  /** Gateway shards: 1 (one process), `auto` (Discord's recommendation) or N processes under a ShardingManager. */
  SHARDS: z.preprocess(emptyAsUnset, shardSetting.default(1)),
  /** Where the index lives: hnswlib files in INDEX_DIR (local), or PostgreSQL with pgvector at DATABASE_URL. */
  INDEX_BACKEND: z.preprocess(emptyAsUnset, z.enum(['local', 'postgres']).default('local')),
  DATABASE_URL: databaseUrl,
  /** Opt-in HTTP port for /healthz and /metrics (one per process under the sharding manager: see docs/operations.md). */
  METRICS_PORT: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(65_535).optional()),
  /** Address that port listens on; 0.0.0.0 in a container. */
  METRICS_HOST: z.preprocess(emptyAsUnset, z.string().trim().min(1).default('127.0.0.1')),
  /** The SQLite file of settings, stored questions and feedback (INDEX_BACKEND=local); default: beside INDEX_DIR. */
  COMMUNITY_DB: optionalString,
  /** Schema of the index's tables in that database. */
  DATABASE_SCHEMA: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
      .default('quotebot'),
  ),
});

/** The name of every variable the project reads (deployment files are checked against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(objectSchema.shape);

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
  const parsed = configSchema.safeParse(isShardProcess(env) ? { ...env, SHARDS: undefined } : env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * Inside a shard process the ShardingManager (discord.js) overwrites SHARDS with that process's own
 * shard id and adds SHARD_COUNT; there SHARDS is not the setting, and the shard is `shardOfProcess`.
 */
export function isShardProcess(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SHARDING_MANAGER === 'true' && env.SHARD_COUNT !== undefined;
}

/** The shard this process runs, as the ShardingManager told it (`SHARDS=<id>`, `SHARD_COUNT=<count>`). */
export function shardOfProcess(env: NodeJS.ProcessEnv = process.env): { id: number; count: number } {
  const id = Number(env.SHARDS);
  const count = Number(env.SHARD_COUNT);
  if (!isShardProcess(env) || !Number.isInteger(id) || !Number.isInteger(count) || id < 0 || count < 1 || id >= count) {
    throw new ConfigError(
      'invalid configuration: SHARDS, SHARD_COUNT: this process was not started by the sharding manager (run npm start)',
    );
  }
  return { id, count };
}
