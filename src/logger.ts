import pino from 'pino';

/**
 * The one logger. It writes to stderr so that stdout stays clean for machine-readable output
 * (`ask --json`), and it redacts anything that could carry a secret.
 */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? 'info',
    redact: {
      paths: [
        'token',
        '*.token',
        'DISCORD_TOKEN',
        '*.DISCORD_TOKEN',
        'headers.authorization',
        '*.headers.authorization',
        'config.DISCORD_TOKEN',
      ],
      censor: '[redacted]',
    },
  },
  pino.destination({ fd: 2, sync: true }),
);

export type Logger = typeof logger;
