import { describe, expect, it } from 'vitest';
import { ConfigError, isShardProcess, loadConfig, MAX_SHARDS, shardOfProcess } from '../src/config.js';
import { DEFAULT_READER_DIR } from '../src/embedding/models.js';

describe('loadConfig', () => {
  it('fills every default, and treats empty variables (VAR= in .env) as unset', () => {
    const config = loadConfig({ ANSWER_MIN_RELEVANCE: '', COOLDOWN_SECONDS: '', WATCH_CORPUS: '', RERANK_MODELS: '', DISCORD_TOKEN: '' });
    expect(config).toEqual({
      LOG_LEVEL: 'info',
      CORPUS_DIR: 'seeds',
      INDEX_DIR: 'embeddings',
      MODELS_DIR: undefined,
      EMBEDDING_MODEL: 'Xenova/all-MiniLM-L6-v2',
      RERANK_MODELS: ['Xenova/bge-small-en-v1.5', 'Xenova/e5-small-v2'],
      QUOTE_READER: DEFAULT_READER_DIR,
      ANSWER_MIN_RELEVANCE: undefined,
      DISCORD_TOKEN: undefined,
      DISCORD_CLIENT_ID: undefined,
      DISCORD_GUILD_ID: undefined,
      DISCORD_API_URL: 'https://discord.com/api',
      COOLDOWN_SECONDS: 5,
      WATCH_CORPUS: false,
      QUEUE_SIZE: 'auto',
      MAX_DOCUMENT_BYTES: 5_000_000,
      IMPORT_ALLOW_PRIVATE_HOSTS: false,
      FETCH_TIMEOUT_MS: 15_000,
      MAX_FETCH_BYTES: 5 * 1024 * 1024,
      MAX_UPLOAD_BYTES: 2 * 1024 * 1024,
      INDEX_BACKEND: 'local',
      SHARDS: 1,
      DATABASE_URL: undefined,
      DATABASE_SCHEMA: 'quotebot',
      METRICS_PORT: undefined,
      METRICS_HOST: '127.0.0.1',
    });
  });

  it('reads the PostgreSQL backend, and names a bad DATABASE_URL in one line without its password', () => {
    const url = 'postgresql://bot:pa55word@db.example:5432/quotebot';
    expect(loadConfig({ INDEX_BACKEND: 'postgres', DATABASE_URL: url, DATABASE_SCHEMA: 'news_2024' })).toMatchObject({
      INDEX_BACKEND: 'postgres',
      DATABASE_URL: url,
      DATABASE_SCHEMA: 'news_2024',
    });
    for (const bad of [
      'postgres://bot:hunter2@db.example:port/quotebot',
      'mysql://bot:hunter2@db.example/quotebot',
      'bot:hunter2@db.example',
      'postgres://bot:hunter2@/quotebot',
    ]) {
      let message = '';
      try {
        loadConfig({ INDEX_BACKEND: 'postgres', DATABASE_URL: bad });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message, bad).toBe('invalid configuration: DATABASE_URL: must be a postgres://user:password@host:port/database URL');
    }
    expect(() => loadConfig({ INDEX_BACKEND: 'postgres' })).toThrow(
      /^invalid configuration: DATABASE_URL: is required when INDEX_BACKEND=postgres$/,
    );
    expect(() => loadConfig({ INDEX_BACKEND: 'mongo', DATABASE_SCHEMA: 'Drop Table' })).toThrow(
      /^invalid configuration: INDEX_BACKEND: .*; DATABASE_SCHEMA: must be a lower-case SQL identifier$/,
    );
  });

  it('reads SHARDS: unset or 1 is one process, auto asks Discord, N is N shards; anything else is named without its value', () => {
    expect(loadConfig({}).SHARDS).toBe(1);
    expect(loadConfig({ SHARDS: '' }).SHARDS).toBe(1);
    expect(loadConfig({ SHARDS: '1' }).SHARDS).toBe(1);
    expect(loadConfig({ SHARDS: ' 4 ' }).SHARDS).toBe(4);
    expect(loadConfig({ SHARDS: 'auto' }).SHARDS).toBe('auto');
    expect(loadConfig({ SHARDS: 'AUTO' }).SHARDS).toBe('auto');
    expect(loadConfig({ SHARDS: String(MAX_SHARDS) }).SHARDS).toBe(MAX_SHARDS);
    for (const bad of ['0', '-2', '1.5', '2e3', 'two', 'auto-SECRET', String(MAX_SHARDS + 1), '1081234567890123456']) {
      expect(() => loadConfig({ SHARDS: bad }), bad).toThrow(
        `invalid configuration: SHARDS: must be auto or a whole number of shards from 1 to ${MAX_SHARDS}`,
      );
    }
    expect(() => loadConfig({ SHARDS: 'auto-SECRET' })).not.toThrow(/SECRET/);
  });

  it('inside a shard process, SHARDS is the id discord.js gave it, not the setting', () => {
    const env = { SHARDING_MANAGER: 'true', SHARDS: '0', SHARD_COUNT: '3' };
    expect(isShardProcess(env)).toBe(true);
    expect(loadConfig(env).SHARDS).toBe(1);
    expect(shardOfProcess(env)).toEqual({ id: 0, count: 3 });
    expect(shardOfProcess({ ...env, SHARDS: '2' })).toEqual({ id: 2, count: 3 });
    // Outside a manager's child, the same variables are the setting, and there is no shard of this process.
    expect(isShardProcess({ SHARDS: '0', SHARD_COUNT: '3' })).toBe(false);
    expect(() => loadConfig({ SHARDS: '0', SHARD_COUNT: '3' })).toThrow(/SHARDS: must be auto/);
    expect(() => shardOfProcess({ SHARDS: '2' })).toThrow(/not started by the sharding manager/);
    expect(() => shardOfProcess({ ...env, SHARDS: '3' })).toThrow(/not started by the sharding manager/);
  });

  it('reads the import and fetch limits, naming a bad one without echoing it', () => {
    const config = loadConfig({
      IMPORT_ALLOW_PRIVATE_HOSTS: 'true',
      FETCH_TIMEOUT_MS: '2500',
      MAX_FETCH_BYTES: '65536',
      MAX_UPLOAD_BYTES: '4096',
    });
    expect(config).toMatchObject({
      IMPORT_ALLOW_PRIVATE_HOSTS: true,
      FETCH_TIMEOUT_MS: 2500,
      MAX_FETCH_BYTES: 65536,
      MAX_UPLOAD_BYTES: 4096,
    });
    expect(() => loadConfig({ MAX_UPLOAD_BYTES: 'lots-secret', IMPORT_ALLOW_PRIVATE_HOSTS: 'maybe-secret' })).toThrow(
      /^invalid configuration: IMPORT_ALLOW_PRIVATE_HOSTS: .*; MAX_UPLOAD_BYTES: [^;]*$/,
    );
    expect(() => loadConfig({ MAX_UPLOAD_BYTES: 'lots-secret' })).not.toThrow(/secret/);
  });

  it('parses numbers, booleans and model lists', () => {
    const config = loadConfig({
      ANSWER_MIN_RELEVANCE: '0.4',
      COOLDOWN_SECONDS: '0',
      WATCH_CORPUS: 'true',
      RERANK_MODELS: 'none',
      QUEUE_SIZE: '64',
      MAX_DOCUMENT_BYTES: '1000',
    });
    expect(config).toMatchObject({
      ANSWER_MIN_RELEVANCE: 0.4,
      COOLDOWN_SECONDS: 0,
      WATCH_CORPUS: true,
      RERANK_MODELS: [],
      QUEUE_SIZE: 64,
      MAX_DOCUMENT_BYTES: 1000,
    });
    expect(loadConfig({ RERANK_MODELS: ' Xenova/e5-small-v2 , ' }).RERANK_MODELS).toEqual(['Xenova/e5-small-v2']);
    expect(loadConfig({ QUEUE_SIZE: 'AUTO', METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toMatchObject({
      QUEUE_SIZE: 'auto',
      METRICS_PORT: 9464,
      METRICS_HOST: '0.0.0.0',
    });
    expect(() => loadConfig({ QUEUE_SIZE: '0' })).toThrow('QUEUE_SIZE: must be auto or a whole number from 1 to 5000');
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT: /);
  });

  it('fails fast with one line naming every bad variable, and none of their values', () => {
    // Values a mistyped .env could hold: a secret pasted into the wrong line must not reach the logs.
    const bad = {
      LOG_LEVEL: 'loud-SECRET1',
      DISCORD_CLIENT_ID: 'my-bot-SECRET2',
      DISCORD_API_URL: 'not a url SECRET3',
      EMBEDDING_MODEL: 'foo/bar-SECRET4',
      RERANK_MODELS: 'Xenova/e5-small-v2,SECRET5',
      COOLDOWN_SECONDS: '-1',
      QUEUE_SIZE: 'SECRET6',
      MAX_DOCUMENT_BYTES: '0',
      ANSWER_MIN_RELEVANCE: 'SECRET7',
      WATCH_CORPUS: 'SECRET8',
    };
    expect(() => loadConfig(bad)).toThrow(ConfigError);
    let message = '';
    try {
      loadConfig(bad);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toHaveLength(1);
    for (const name of Object.keys(bad)) expect(message).toMatch(new RegExp(`\\b${name}(\\.\\d+)?: `));
    expect(message).not.toMatch(/SECRET|loud|my-bot|foo\/bar|not a url/);
    expect(message).toContain('EMBEDDING_MODEL: not a known model; use one of Xenova/all-MiniLM-L6-v2,');
  });
});
