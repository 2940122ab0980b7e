import pino from 'pino';
import { LOG_LEVELS } from './config.js';

/**
 * The one logger. It writes to stderr so that stdout stays clean for machine-readable output
 * (`ask --json`), and it redacts anything that could carry a secret.
 */
export const logger = pino(
  {
    // pino throws (with a stack trace quoting the value) on an unknown level; loadConfig reports it as one line instead.
    level: LOG_LEVELS.find((level) => level === process.env.LOG_LEVEL) ?? 'info',
    redact: {
      paths: [
        'token',
        '*.token',
        'DISCORD_TOKEN',
        '*.DISCORD_TOKEN',
        'headers.authorization',
        '*.headers.authorization',
        'config.DISCORD_TOKEN',
        // The database URL carries a password.
        'DATABASE_URL',
        '*.DATABASE_URL',
        'config.DATABASE_URL',
        'databaseUrl',
        '*.databaseUrl',
      ],
      censor: '[redacted]',
    },
  },
  pino.destination({ fd: 2, sync: true }),
);

export type Logger = typeof logger;
