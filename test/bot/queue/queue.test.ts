import { describe, expect, it } from 'vitest';
import { FairQueue, QueueClosedError, QueueExpiredError, QueueFullError } from '../../../src/bot/queue/queue.js';
import {
  FOLLOW_UP_WINDOW_MS,
  MAX_QUEUE,
  PRIOR_ANSWER_MS,
  QueueBound,
  replyDeadline,
  START_MARGIN_MS,
  WAIT_SHARE,
} from '../../../src/bot/queue/queue-bound.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
}

const fixed = (capacity: number) => new FairQueue({ capacity: () => capacity });

describe('FairQueue', () => {
  it('runs jobs one at a time', async () => {
    const queue = fixed(10);
    const log: string[] = [];
    const gate = deferred<void>();
    const first = queue.run('ana', async () => {
      log.push('first starts');
      await gate.promise;
      log.push('first ends');
      return 1;
    });
    const second = queue.run('ana', async () => {
      log.push('second runs');
      return 2;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['first starts']);
    expect(queue.pending).toBe(2);
    gate.resolve();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(log).toEqual(['first starts', 'first ends', 'second runs']);
    expect(queue.pending).toBe(0);
  });

  it('takes turns between users: one user asking many times never holds up the others', async () => {
    const queue = fixed(100);
    const order: string[] = [];
    const gate = deferred<void>();
    const jobs = [queue.run('first', () => gate.promise)];
    const ask = (user: string, n: number) => jobs.push(queue.run(user, async () => void order.push(`${user}${n}`)));
    for (let n = 1; n <= 5; n++) ask('flood', n);
    ask('ana', 1);
    ask('ben', 1);
    ask('ana', 2);
    gate.resolve();
    await Promise.all(jobs);
    expect(order).toEqual(['flood1', 'ana1', 'ben1', 'flood2', 'ana2', 'flood3', 'flood4', 'flood5']);
  });

  it('refuses work beyond its capacity, asked on every arrival, and accepts more once jobs finish', async () => {
    let capacity = 2;
    const queue = new FairQueue({ capacity: () => capacity });
    const gate = deferred<void>();
    const running = [queue.run('a', () => gate.promise), queue.run('b', async () => undefined)];
    await expect(queue.run('c', async () => 'too many')).rejects.toBeInstanceOf(QueueFullError);
    capacity = 3;
    running.push(queue.run('c', async () => undefined));
    gate.resolve();
    await Promise.all(running);
    await expect(queue.run('c', async () => 'fits again')).resolves.toBe('fits again');
  });

  it('keeps going after a job fails', async () => {
    const queue = fixed(5);
    const failing = queue.run('a', async () => {
      throw new Error('engine broke');
    });
    const next = queue.run('a', async () => 'still answering');
    await expect(failing).rejects.toThrow('engine broke');
    await expect(next).resolves.toBe('still answering');
  });

  it('on close, lets the running job finish and tells every waiting one, and refuses new ones', async () => {
    const queue = fixed(5);
    const gate = deferred<void>();
    const running = queue.run('a', async () => {
      await gate.promise;
      return 'finished';
    });
    const waiting = [queue.run('a', async () => 'never'), queue.run('b', async () => 'never')];
    await new Promise((resolve) => setImmediate(resolve));
    queue.close();
    for (const job of waiting) await expect(job).rejects.toBeInstanceOf(QueueClosedError);
    await expect(queue.run('c', async () => 'late')).rejects.toBeInstanceOf(QueueClosedError);
    gate.resolve();
    await expect(running).resolves.toBe('finished');
  });

  it('drops a job whose turn comes after its deadline, and reports how long each waited', async () => {
    let now = 1_000;
    const waits: number[] = [];
    const queue = new FairQueue({ capacity: () => 5, now: () => now, onStart: (ms) => waits.push(ms) });
    const gate = deferred<void>();
    const first = queue.run('a', () => gate.promise);
    const late = queue.run('b', async () => 'too late', 1_500);
    const onTime = queue.run('c', async () => 'in time', 5_000);
    now = 2_000;
    gate.resolve();
    await first;
    await expect(late).rejects.toBeInstanceOf(QueueExpiredError);
    await expect(onTime).resolves.toBe('in time');
    expect(waits).toEqual([0, 1_000]);
  });
});

describe('QueueBound', () => {
  const budget = FOLLOW_UP_WINDOW_MS * WAIT_SHARE;

  it('admits as many as the measured answer time answers within the reply window, up to the ceiling', () => {
    const bound = new QueueBound();
    expect(bound.capacity()).toBe(Math.floor(budget / PRIOR_ANSWER_MS));
    bound.record(400);
    expect(bound.answerMs).toBe(400); // the first measurement replaces the prior
    expect(bound.capacity()).toBe(Math.floor(budget / 400));
    for (let i = 0; i < 50; i++) bound.record(60_000); // a very slow engine
    expect(bound.capacity()).toBeLessThan(20);
    expect(new QueueBound(16).capacity()).toBe(16);
    const fast = new QueueBound();
    fast.record(1);
    expect(fast.capacity()).toBe(MAX_QUEUE);
  });

  it('never admits less than one, and a question must start before its window closes', () => {
    const bound = new QueueBound();
    bound.record(30 * 60_000);
    expect(bound.capacity()).toBe(1);
    expect(replyDeadline(0)).toBe(FOLLOW_UP_WINDOW_MS - START_MARGIN_MS);
  });
});
