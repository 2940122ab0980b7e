import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { inviteUrl, REQUIRED_PERMISSIONS } from '../../src/bot/invite.js';
import { loggableError } from '../../src/bot/sending/errors.js';

describe('inviteUrl', () => {
  it('asks for the bot and applications.commands scopes and exactly the six permissions', () => {
    expect(REQUIRED_PERMISSIONS.toArray().sort()).toEqual(
      ['CreatePublicThreads', 'EmbedLinks', 'ReadMessageHistory', 'SendMessages', 'SendMessagesInThreads', 'ViewChannel'].sort(),
    );
    expect(inviteUrl('123456789012345678')).toBe(
      'https://discord.com/oauth2/authorize?client_id=123456789012345678&scope=bot+applications.commands&permissions=309237730304',
    );
  });
});

describe('loggableError', () => {
  it('keeps what explains a Discord error but not its URL (interaction token) or body (user text)', () => {
    const error = new DiscordAPIError(
      { code: 50035, message: 'Invalid Form Body' },
      50035,
      400,
      'PATCH',
      'https://discord.com/api/v10/webhooks/1/SECRET-INTERACTION-TOKEN/messages/@original',
      { body: { content: 'a user question' } },
    );
    const logged = loggableError(error);
    expect(logged).toMatchObject({ name: 'DiscordAPIError[50035]', message: 'Invalid Form Body', code: 50035, status: 400 });
    expect(JSON.stringify(logged)).not.toMatch(/SECRET-INTERACTION-TOKEN|a user question/);
  });

  it('describes non-errors too', () => {
    expect(loggableError('plain')).toEqual({ name: 'NonError', message: 'plain' });
  });
});
