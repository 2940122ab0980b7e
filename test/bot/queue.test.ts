import { describe, expect, it } from 'vitest';
import { QueueFullError, SerialQueue } from '../../src/bot/queue.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SerialQueue', () => {
  it('runs jobs one at a time in arrival order', async () => {
    const queue = new SerialQueue(10);
    const log: string[] = [];
    const gate = deferred<void>();
    const first = queue.run(async () => {
      log.push('first starts');
      await gate.promise;
      log.push('first ends');
      return 1;
    });
    const second = queue.run(async () => {
      log.push('second runs');
      return 2;
    });
    await Promise.resolve();
    expect(log).toEqual(['first starts']);
    expect(queue.pending).toBe(2);
    gate.resolve();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(log).toEqual(['first starts', 'first ends', 'second runs']);
    expect(queue.pending).toBe(0);
  });

  it('refuses work beyond its capacity, and accepts more once jobs finish', async () => {
    const queue = new SerialQueue(2);
    const gate = deferred<void>();
    const running = [queue.run(() => gate.promise), queue.run(async () => undefined)];
    await expect(queue.run(async () => 'too many')).rejects.toBeInstanceOf(QueueFullError);
    gate.resolve();
    await Promise.all(running);
    await expect(queue.run(async () => 'fits again')).resolves.toBe('fits again');
  });

  it('keeps going after a job fails', async () => {
    const queue = new SerialQueue(5);
    const failing = queue.run(async () => {
      throw new Error('engine broke');
    });
    const next = queue.run(async () => 'still answering');
    await expect(failing).rejects.toThrow('engine broke');
    await expect(next).resolves.toBe('still answering');
  });
});
