import { afterAll, beforeAll } from 'vitest';
import { FakeDiscord } from './fake-discord.js';

/** Starts a fake Discord before the tests of the calling file or block and closes it after them. */
export function useFakeDiscord(): () => FakeDiscord {
  let fake: FakeDiscord | undefined;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(() => fake?.close());
  return () => {
    if (!fake) throw new Error('the fake Discord has not started');
    return fake;
  };
}
