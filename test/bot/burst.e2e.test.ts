import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkerEngine, type WorkerEngine } from '../../src/engine/worker-engine.js';
import { ASKED, burst, HEARTBEAT_MS, meterEngine, QUESTIONS, startBurstBot } from '../support/burst.js';
import { modelsDir, SEEDS, TEST_MODEL, TEST_READER, TEST_RERANK_MODELS, tempDir } from '../support/helpers.js';

/**
 * 200 simultaneous /ask from 50 users against the real bot, the real engine (in its worker thread,
 * as `npm start` runs it) and a fake Discord that wants a heartbeat every second. Discord's rules:
 * every interaction acknowledged within 3 s, heartbeats on time; ours: every question answered (the
 * fair queue's bound, from the measured answer time and the 15-minute reply window, holds far more
 * than 200 at ~70 ms an answer), the engine never idle while questions wait, none failed or lost,
 * memory bounded, and this thread's event loop stays free. (Beyond the bound "busy" comes at once: bot-lifecycle.e2e.test.ts.)
 */
describe('a burst of 200 questions from 50 users', () => {
  let engine: WorkerEngine;
  let running: Awaited<ReturnType<typeof startBurstBot>>;
  let meter: ReturnType<typeof meterEngine>;

  beforeAll(async () => {
    engine = await openWorkerEngine({
      corpusDir: SEEDS,
      indexDir: tempDir('burst-index-'),
      model: TEST_MODEL,
      rerankModels: TEST_RERANK_MODELS,
      reader: TEST_READER,
      modelsDir: modelsDir(),
    });
    meter = meterEngine(engine);
    running = await startBurstBot(engine);
  });
  afterAll(async () => {
    await running?.bot.stop();
    await running?.fake.close();
    await engine?.close();
  });

  it('acknowledges every interaction in time, keeps the heartbeat, and answers every question', async () => {
    // This machine's pace today: the engine answering the burst's questions one after another, alone.
    // (The same code took 14.3 s for the burst on one run of the host and 75 s on one four times slower.)
    for (const question of ASKED) await engine.ask(question); // warm, as the bot is after its first questions
    const started = performance.now();
    for (let pass = 0; pass < 3; pass++) for (const question of ASKED) await engine.ask(question);
    const serialSeconds = ((performance.now() - started) / (3 * ASKED.length) / 1000) * QUESTIONS;
    meter.reset();
    const report = await burst(running.fake);
    const busySeconds = meter.busyMs() / 1000;
    console.info(`burst report: ${JSON.stringify(report)}`);
    console.info(
      `burst: the engine had a question in hand for ${busySeconds.toFixed(1)} s; one after another would take ${serialSeconds.toFixed(1)} s`,
    );
    expect(report.lost).toBe(0);
    expect(report.failed).toBe(0);
    expect(report.busy).toBe(0);
    expect(report.answered).toBe(QUESTIONS);
    // The queue keeps the engine busy: from the burst's dispatch to its last answer, the engine had a
    // question in hand at least 90% of the time. Both are measured together, so a host whose speed
    // changes from one minute to the next moves them together.
    expect(busySeconds).toBeGreaterThan(report.lastAnswerSeconds * 0.9);
    // And answering beside the bot costs little more than answering alone: within 1.5 times the
    // serial pace measured a moment earlier (1.16 on a normal run of the host, 1.25 on a slow one).
    expect(report.lastAnswerSeconds).toBeLessThan(serialSeconds * 1.5);
    expect(report.ackMaxMs).toBeLessThan(3_000);
    expect(report.heartbeatGapMaxMs).toBeLessThan(HEARTBEAT_MS * 1.5);
    expect(report.loopDelayP99Ms).toBeLessThan(100);
    expect(report.rssGrowthMb).toBeLessThan(200); // 200 waiting questions are closures around interactions already in memory
    expect(running.logs.filter((line) => line.level >= 50)).toEqual([]);
    // The bound that matters is the one above, relative to this machine; the test's own limit only
    // stops a hang (on a host running four times slower than usual the burst took 58.5 s).
  }, 300_000);
});
