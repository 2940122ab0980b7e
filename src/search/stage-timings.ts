import type { StageTimings } from '../core/types.js';

/** Timings with every stage at zero, for one question (or a sum over several). */
export function noTimings(): StageTimings {
  return { embed: 0, firstStage: 0, rows: 0, bm25: 0, reader: 0, marker: 0 };
}

/** Run `work`, adding its milliseconds to `stage` of `timings` when timings are asked for (otherwise just run it). */
export async function timeStage<T>(timings: StageTimings | undefined, stage: keyof StageTimings, work: () => Promise<T>): Promise<T> {
  if (!timings) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings[stage] += performance.now() - started;
  }
}

/** The same for synchronous work. */
export function timeStageSync<T>(timings: StageTimings | undefined, stage: keyof StageTimings, work: () => T): T {
  if (!timings) return work();
  const started = performance.now();
  try {
    return work();
  } finally {
    timings[stage] += performance.now() - started;
  }
}
