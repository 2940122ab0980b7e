import { describe, expect, it } from 'vitest';
import { AnswerService } from '../../src/bot/answers.js';
import { QueueFullError, SerialQueue } from '../../src/bot/queue.js';
import { logger } from '../../src/logger.js';
import { stubEngine } from './stub-engine.js';

describe('AnswerService', () => {
  it('refreshes the engine before every question, through the queue', async () => {
    const engine = stubEngine();
    const service = new AnswerService(engine, new SerialQueue(4), logger);
    await service.ask('first?', { k: 3 });
    await service.ask('second?', { k: 1 });
    expect(engine.refreshes).toBe(2);
    expect(engine.asked).toEqual([
      { question: 'first?', options: { k: 3 } },
      { question: 'second?', options: { k: 1 } },
    ]);
  });

  it('keeps answering with the loaded index when a refresh fails', async () => {
    const engine = stubEngine({ refresh: () => Promise.reject(new Error('half-written index')) });
    const service = new AnswerService(engine, new SerialQueue(4), logger);
    await expect(service.ask('still?', {})).resolves.toMatchObject({ question: 'still?' });
  });

  it('reports a full queue instead of piling up work', async () => {
    let release!: () => void;
    const engine = stubEngine({ refresh: () => new Promise((resolve) => (release = () => resolve(false))) });
    const service = new AnswerService(engine, new SerialQueue(1), logger);
    const first = service.ask('first?', {});
    await expect(service.ask('second?', {})).rejects.toBeInstanceOf(QueueFullError);
    await Promise.resolve();
    release();
    await first;
  });
});
