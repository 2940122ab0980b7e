import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ButtonSessions, type SentMessage } from '../../../src/bot/buttons/button-sessions.js';
import { type MessagePayload, messagePayload, NO_PINGS } from '../../../src/bot/sending/payload.js';
import { logger } from '../../../src/logger.js';

/** A destination that records what was sent and every later edit. */
function outbox() {
  const sent: MessagePayload[] = [];
  const edits: unknown[] = [];
  const send = async (payload: MessagePayload): Promise<SentMessage> => {
    sent.push(payload);
    return { edit: async (changes) => edits.push(changes) };
  };
  return { sent, edits, send };
}

describe('ButtonSessions', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('renders with the new session key, sends, and removes the buttons when the session expires', async () => {
    const sessions = new ButtonSessions<{ question: string }>({ ttlMs: 1_000, maxEntries: 10, logger });
    const { sent, edits, send } = outbox();
    let key = '';
    await sessions.send({ question: 'why?' }, (k) => messagePayload({ content: (key = k) }), send);
    expect(sent.map((payload) => payload.content)).toEqual([key]);
    expect(sessions.get(key)).toEqual({ question: 'why?' });

    vi.advanceTimersByTime(999);
    expect(edits).toEqual([]);
    vi.advanceTimersByTime(1);
    await vi.runAllTimersAsync();
    expect(sessions.get(key)).toBeUndefined();
    expect(edits).toEqual([{ components: [], allowedMentions: NO_PINGS }]);
  });

  it('removes the buttons at once when the session was pushed out while sending', async () => {
    const sessions = new ButtonSessions<number>({ ttlMs: 60_000, maxEntries: 1, logger });
    const first = outbox();
    const second = outbox();
    const sending = sessions.send(
      1,
      () => messagePayload({}),
      async (payload) => {
        await sessions.send(2, () => messagePayload({}), second.send); // a newer session evicts this one meanwhile
        return first.send(payload);
      },
    );
    await sending;
    expect(first.edits).toEqual([{ components: [], allowedMentions: NO_PINGS }]);
    expect(second.edits).toEqual([]);
  });

  it('clear() forgets every session and leaves the buttons alone', async () => {
    const sessions = new ButtonSessions<number>({ ttlMs: 1_000, maxEntries: 10, logger });
    const { edits, send } = outbox();
    let key = '';
    await sessions.send(7, (k) => messagePayload({ content: (key = k) }), send);
    sessions.clear();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sessions.get(key)).toBeUndefined();
    expect(edits).toEqual([]);
  });
});
