import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningBot, startBot } from '../../src/bot/bot.js';
import { BUSY_TEXT } from '../../src/bot/sending/failures.js';
import type { QuoteEngine } from '../../src/core/types.js';
import { FakeDiscord, type RecordedCall, snowflake } from './fake-discord.js';
import { bodyOf, capturingLogger, type LogLine, testConfig } from './harness.js';

/** A burst of /ask against a bot logged into a fake Discord, and what it measures. */
export const QUESTIONS = 200;
const USERS = 50;
export const HEARTBEAT_MS = 1_000;
export const ASKED = [
  'How much wheat did Russia donate to Cuba?',
  "Who is Russia's ambassador to Cuba?",
  'What did Maduro assure Russia of?',
  'How many tons of aid did Russia send to the Cuban people?',
];

export interface BurstReport {
  answered: number;
  busy: number;
  failed: number;
  lost: number;
  /** Dispatch to first callback, per interaction (ms). */
  ackMaxMs: number;
  heartbeatGapMaxMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  seconds: number;
  /** From the burst's dispatch to the last final reply (s). */
  lastAnswerSeconds: number;
  rssGrowthMb: number;
  /** The highest RSS seen during the burst, sampled with the calls (MB). */
  rssPeakMb: number;
}

/** Fires the burst at a running bot and waits until every interaction has its final reply (or the time is up). */
export async function burst(fake: FakeDiscord): Promise<BurstReport> {
  const users = Array.from({ length: USERS }, () => snowflake());
  const rssBefore = process.memoryUsage().rss;
  let seen = fake.calls.length;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  const tokens = Array.from(
    { length: QUESTIONS },
    (_, i) => fake.slashCommand('ask', [{ name: 'question', value: ASKED[i % ASKED.length]! }], { userId: users[i % USERS] }).token,
  );
  // Each interaction's first callback and its final edit, collected from the calls as they come (cheaply:
  // this loop shares the event loop it measures).
  const acks = new Map<string, RecordedCall>();
  const finals = new Map<string, RecordedCall>();
  const deadline = Date.now() + 240_000; // a hang's limit; a host four times slower than usual took 75 s
  let rssPeak = rssBefore;
  while (finals.size < QUESTIONS && Date.now() < deadline) {
    await sleep(250);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    for (; seen < fake.calls.length; seen++) {
      const call = fake.calls[seen]!;
      const [, resource, , token] = call.path.split('/');
      if (resource === 'interactions' && !acks.has(token!)) acks.set(token!, call);
      if (resource === 'webhooks' && call.method === 'PATCH' && call.path.endsWith('/messages/@original')) finals.set(token!, call);
    }
  }
  const ended = performance.now();
  loop.disable();
  const outcomes = tokens.map((token) => finals.get(token));
  const answered = outcomes.filter((call) => call && (bodyOf(call).embeds ?? []).length > 0).length;
  const busy = outcomes.filter((call) => call && bodyOf(call).content === BUSY_TEXT).length;
  const lost = outcomes.filter((call) => !call).length;
  const lastFinal = Math.max(...[...finals.values()].map((call) => call.at));
  const ackMs = tokens.map((token) => (acks.get(token)?.at ?? Infinity) - fake.dispatchedAt.get(token)!);
  // Gaps between heartbeats from the last one before the burst to the end of it.
  const beats = fake.heartbeats.filter((at, i, all) => at >= started || all[i + 1]! >= started).filter((at) => at <= ended);
  const gaps = beats.slice(1).map((at, i) => at - beats[i]!);
  gaps.push(ended - beats.at(-1)!); // a heartbeat that should have come but did not counts too
  return {
    answered,
    busy,
    failed: QUESTIONS - answered - busy - lost,
    lost,
    ackMaxMs: Math.round(Math.max(...ackMs)),
    heartbeatGapMaxMs: Math.round(Math.max(...gaps)),
    loopDelayP99Ms: Math.round(loop.percentile(99) / 1e6),
    loopDelayMaxMs: Math.round(loop.max / 1e6),
    seconds: Number(((ended - started) / 1000).toFixed(1)),
    lastAnswerSeconds: Number(((lastFinal - started) / 1000).toFixed(1)),
    rssGrowthMb: Math.round((process.memoryUsage().rss - rssBefore) / 2 ** 20),
    rssPeakMb: Math.round(rssPeak / 2 ** 20),
  };
}

/**
 * Wraps `engine.ask` to measure how long the engine has at least one question in hand (overlapping
 * calls counted once): what a burst's last answer should take if the queue never lets it idle.
 */
export function meterEngine(engine: QuoteEngine): { busyMs(): number; reset(): void } {
  const ask = engine.ask.bind(engine);
  let inFlight = 0;
  let since = 0;
  let busy = 0;
  engine.ask = async (...args) => {
    if (inFlight++ === 0) since = performance.now();
    try {
      return await ask(...args);
    } finally {
      if (--inFlight === 0) busy += performance.now() - since;
    }
  };
  return { busyMs: () => busy, reset: () => (busy = 0) };
}

/** A bot logged into a fake Discord that asks for a heartbeat every second. */
export async function startBurstBot(engine: QuoteEngine): Promise<{ fake: FakeDiscord; bot: RunningBot; logs: LogLine[] }> {
  const fake = await FakeDiscord.start({ heartbeatIntervalMs: HEARTBEAT_MS });
  const { logger, lines } = capturingLogger();
  const bot = await startBot(testConfig(fake.apiUrl, { COOLDOWN_SECONDS: '0' }), engine, { logger });
  await fake.waitForReady();
  // One question first, as a bot that has been running a while has answered some: the burst then
  // measures the load, not the first call of every code path.
  const { token } = fake.slashCommand('ask', [{ name: 'question', value: ASKED[0]! }]);
  await fake.waitForCall((call) => call.method === 'PATCH' && call.path.includes(token), 60_000);
  await sleep(2.5 * HEARTBEAT_MS); // a few heartbeats before the burst
  return { fake, bot, logs: lines };
}
