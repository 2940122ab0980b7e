import type { Logger } from '../../logger.js';
import { loggableError } from '../sending/errors.js';
import { type MessagePayload, NO_PINGS } from '../sending/payload.js';
import { ExpiringStore } from './expiring-store.js';

/** The edit that takes a message's buttons away. */
const WITHOUT_BUTTONS = { components: [], allowedMentions: NO_PINGS };

/** A message once sent: what its session needs to take the buttons away later. */
export interface SentMessage {
  edit(changes: typeof WITHOUT_BUTTONS): Promise<unknown>;
  /** A link others can open (absent for a private reply). */
  url?: string;
}

/** Puts a payload somewhere (a deferred reply, a channel, a reply to a message) and returns the message. */
export type Send = (payload: MessagePayload) => Promise<SentMessage>;

interface Entry<T> {
  session: T;
  clearButtons?: () => Promise<unknown>;
}

/**
 * The state behind one kind of button (feedback, search pages) for as long as the buttons work.
 * Messages with such buttons are sent through `send`, so the sender owns the buttons' lifetime:
 * when the session expires, its buttons are taken off that message (the guide's collector pattern).
 */
export class ButtonSessions<T> {
  readonly #store: ExpiringStore<Entry<T>>;
  readonly #logger: Logger;

  constructor(options: { ttlMs: number; maxEntries: number; logger: Logger }) {
    this.#logger = options.logger;
    this.#store = new ExpiringStore<Entry<T>>({ ...options, onExpire: (entry) => void this.#clear(entry) });
  }

  get(key: string): T | undefined {
    return this.#store.get(key)?.session;
  }

  /** Renders the message with a new session's key, sends it, and removes its buttons when the session expires. */
  async send(session: T, render: (key: string) => MessagePayload, send: Send): Promise<SentMessage> {
    const entry: Entry<T> = { session };
    const key = this.#store.add(entry);
    const sent = await send(render(key));
    entry.clearButtons = () => sent.edit(WITHOUT_BUTTONS);
    // Expired (or pushed out by newer sessions) while sending: no expiry will come, so clear now.
    if (this.#store.get(key) !== entry) await this.#clear(entry);
    return sent;
  }

  /** Forgets every session and leaves the buttons as they are (the bot is stopping). */
  clear(): void {
    this.#store.clear();
  }

  async #clear(entry: Entry<T>): Promise<void> {
    await entry
      .clearButtons?.()
      .catch((error: unknown) => this.#logger.debug({ err: loggableError(error) }, 'could not remove expired buttons'));
  }
}
