import { describe, expect, it } from 'vitest';
import { EngineQueue } from '../../../src/bot/queue/engine-queue.js';
import { FairQueue, QueueFullError } from '../../../src/bot/queue/queue.js';
import { logger } from '../../../src/logger.js';
import { stubEngine } from '../../support/stub-engine.js';

describe('EngineQueue', () => {
  it('refreshes the engine before every question, through the queue', async () => {
    const engine = stubEngine();
    const engineQueue = new EngineQueue(engine, new FairQueue({ capacity: () => 4 }), logger);
    await engineQueue.ask('first?', { k: 3 });
    await engineQueue.ask('second?', { k: 1 });
    expect(engine.refreshes).toBe(2);
    expect(engine.asked).toEqual([
      { question: 'first?', options: { k: 3 } },
      { question: 'second?', options: { k: 1 } },
    ]);
  });

  it('keeps answering with the loaded index when a refresh fails', async () => {
    const engine = stubEngine({ refresh: () => Promise.reject(new Error('half-written index')) });
    const engineQueue = new EngineQueue(engine, new FairQueue({ capacity: () => 4 }), logger);
    await expect(engineQueue.ask('still?', {})).resolves.toMatchObject({ question: 'still?' });
  });

  it('reports a full queue instead of piling up work', async () => {
    let release!: () => void;
    const engine = stubEngine({ refresh: () => new Promise((resolve) => (release = () => resolve(false))) });
    const engineQueue = new EngineQueue(engine, new FairQueue({ capacity: () => 1 }), logger);
    const first = engineQueue.ask('first?', {});
    await expect(engineQueue.ask('second?', {})).rejects.toBeInstanceOf(QueueFullError);
    await Promise.resolve();
    release();
    await first;
  });
});

describe('EngineQueue outcomes', () => {
  it('tells its observer how each question ended and how long its turn took', async () => {
    const seen: Array<[string, boolean]> = [];
    const observer = {
      question: (outcome: string, seconds?: number) => void seen.push([outcome, seconds !== undefined]),
      indexReloaded: () => undefined,
    };
    let answered = true;
    const engine = stubEngine({ answer: (question) => ({ question, answered, results: [], nearest: [] }) as never });
    const queue = new FairQueue({ capacity: () => 1 });
    const engineQueue = new EngineQueue(engine, queue, logger, observer);
    await engineQueue.ask('covered?', {}, { userId: 'ana' });
    answered = false;
    await engineQueue.ask('not covered?', {}, { userId: 'ana' });
    const first = engineQueue.ask('slow?', {}, { userId: 'ana' });
    await expect(engineQueue.ask('full?', {}, { userId: 'ben' })).rejects.toBeInstanceOf(QueueFullError);
    await first;
    engineQueue.close();
    await expect(engineQueue.ask('closed?', {}, { userId: 'ben' })).rejects.toThrow('restarting');
    expect(seen).toEqual([
      ['answered', true],
      ['not_covered', true],
      ['busy', false],
      ['not_covered', true],
      ['shutting_down', false],
    ]);
  });
});
