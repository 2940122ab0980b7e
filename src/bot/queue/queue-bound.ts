/** Discord accepts edits and follow-ups of an interaction's reply for 15 minutes after it arrives. */
export const FOLLOW_UP_WINDOW_MS = 15 * 60_000;
/**
 * The share of that window a question may spend waiting; the rest is room for answering and sending,
 * and for answers turning slower than measured while it waits.
 */
export const WAIT_SHARE = 0.8;
/** A question must start at least this long before its window closes, or its answer could not be sent. */
export const START_MARGIN_MS = 30_000;
/** Before any answer has been timed: a slow, cold answer, so the first burst is bounded cautiously. */
export const PRIOR_ANSWER_MS = 1_000;
/** However fast answers are, no more wait than this: each waiting question holds an interaction in memory. */
export const MAX_QUEUE = 5_000;
/** Weight of the newest answer time in the running estimate: a few slow answers move it quickly. */
const SMOOTHING = 0.2;

/**
 * How many questions may wait or run: as many as the engine, at its measured answer time, answers
 * within the share of Discord's follow-up window a question may wait, and never more than `ceiling`
 * (QUEUE_SIZE, or MAX_QUEUE when that is `auto`). So the last question admitted is still answered in
 * time, and a slower engine (a larger archive, a busy machine) admits fewer.
 */
export class QueueBound {
  #answerMs = PRIOR_ANSWER_MS;
  #measured = false;

  constructor(private readonly ceiling: number = MAX_QUEUE) {}

  /** A job's run time: its exponentially smoothed mean becomes the estimate (the first replaces the prior). */
  record(ms: number): void {
    this.#answerMs = this.#measured ? this.#answerMs + SMOOTHING * (ms - this.#answerMs) : ms;
    this.#measured = true;
  }

  /** The current estimate of one answer's time (ms), at least 1. */
  get answerMs(): number {
    return Math.max(1, this.#answerMs);
  }

  capacity(): number {
    const fits = Math.floor((FOLLOW_UP_WINDOW_MS * WAIT_SHARE) / this.answerMs);
    return Math.max(1, Math.min(this.ceiling, fits));
  }
}

/** The last moment a question that arrived at `createdAt` may start and still be answered in its window. */
export function replyDeadline(createdAt: number): number {
  return createdAt + FOLLOW_UP_WINDOW_MS - START_MARGIN_MS;
}

/** An interaction's asker: the user whose turn it is, and the deadline its reply window sets. */
export function askerOf(interaction: { user: { id: string }; createdTimestamp: number }): { userId: string; deadline: number } {
  return { userId: interaction.user.id, deadline: replyDeadline(interaction.createdTimestamp) };
}
