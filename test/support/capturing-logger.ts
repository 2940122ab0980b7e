import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from '../../src/logger.js';

export type LogLine = Record<string, unknown> & { msg?: string; level: number };

/** A pino logger that keeps its lines for assertions. */
export function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink) as unknown as Logger, lines };
}
