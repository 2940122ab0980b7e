import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { BotContext } from '../../src/bot/context.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { ADMIN_ONLY_TEXT } from '../../src/bot/preconditions.js';
import { QueueFullError } from '../../src/bot/queue/queue.js';
import { BUSY_TEXT, FAILURE_TEXT } from '../../src/bot/sending/failures.js';
import { type Entry, type EntryKind, sharedRun } from '../../src/bot/shared-run.js';
import { UserError } from '../../src/core/errors.js';
import { capturingLogger } from '../support/capturing-logger.js';

/** Just what sharedRun uses of the context: the cooldown and the logger. */
function setup(cooldownSeconds = 5) {
  const { logger, lines } = capturingLogger();
  const context = { cooldown: new Cooldown(cooldownSeconds, () => 0), logger } as unknown as BotContext;
  const told: string[] = [];
  const entry = (kind: EntryKind = 'command', userId = 'alice'): Entry => ({
    kind,
    name: 'ask',
    userId,
    guildId: 'g1',
    tell: async (text) => told.push(text),
  });
  return { context, lines, told, entry };
}

describe('sharedRun', () => {
  it('runs the handler and logs how long a command took', async () => {
    const { context, lines, told, entry } = setup();
    let ran = 0;
    await sharedRun(context, entry(), {}, async () => ran++);
    await sharedRun(context, entry('button'), {}, async () => ran++);
    expect(ran).toBe(2);
    expect(told).toEqual([]);
    const timed = lines.filter((line) => line.event === 'command');
    expect(timed).toEqual([expect.objectContaining({ command: 'ask', guildId: 'g1', ms: expect.any(Number), msg: 'command handled' })]);
  });

  it('applies the cooldown precondition to every kind of entry, per user, only when asked for', async () => {
    const { context, told, entry } = setup();
    const ran: string[] = [];
    await sharedRun(context, entry('command'), { cooldown: true }, async () => ran.push('command'));
    await sharedRun(context, entry('mention'), { cooldown: true }, async () => ran.push('mention'));
    await sharedRun(context, entry('button'), {}, async () => ran.push('button'));
    await sharedRun(context, entry('context-menu', 'bob'), { cooldown: true }, async () => ran.push('bob'));
    expect(ran).toEqual(['command', 'button', 'bob']);
    expect(told).toEqual(['One moment — you can ask again in 5 seconds.']);
  });

  it('runs an admin-only handler for Manage Server in a server only, before spending the cooldown', async () => {
    const { context, lines, told, entry } = setup();
    const admin = new PermissionsBitField(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages);
    const member = new PermissionsBitField(PermissionFlagsBits.SendMessages);
    const ran: string[] = [];
    const adminOnly = { admin: true, cooldown: true };
    await sharedRun(context, { ...entry('command', 'mallory'), memberPermissions: member }, adminOnly, async () => ran.push('member'));
    await sharedRun(context, { ...entry('autocomplete', 'mallory') }, { admin: true }, async () => ran.push('no permissions'));
    await sharedRun(context, { ...entry('command', 'dm'), guildId: null, memberPermissions: admin }, adminOnly, async () =>
      ran.push('outside a server'),
    );
    await sharedRun(context, { ...entry('command', 'mallory'), memberPermissions: admin }, adminOnly, async () => ran.push('admin'));
    expect(ran).toEqual(['admin']);
    expect(told).toEqual([ADMIN_ONLY_TEXT, ADMIN_ONLY_TEXT, ADMIN_ONLY_TEXT]);
    expect(lines.filter((line) => line.event === 'admin-refused')).toHaveLength(3);
  });

  it('tells the user a busy queue or a user error in one line, without an error log', async () => {
    const { context, lines, told, entry } = setup();
    await sharedRun(context, entry(), {}, () => Promise.reject(new QueueFullError()));
    await sharedRun(context, entry('mention'), {}, () => Promise.reject(new UserError('the question is empty')));
    expect(told).toEqual([BUSY_TEXT, 'Sorry, I cannot answer that: the question is empty.']);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('logs a bug once with its kind and tells the user something went wrong', async () => {
    const { context, lines, told, entry } = setup();
    await sharedRun(context, entry('button'), {}, () => Promise.reject(new Error('boom')));
    expect(told).toEqual([FAILURE_TEXT]);
    const errors = lines.filter((line) => line.level >= 50);
    expect(errors).toEqual([
      expect.objectContaining({ event: 'handler-failed', kind: 'button', name: 'ask', err: expect.objectContaining({ message: 'boom' }) }),
    ]);
  });

  it('never throws, even when telling the user fails too', async () => {
    const { context, lines, entry } = setup();
    const mute: Entry = { ...entry(), tell: () => Promise.reject(new Error('gone')) };
    await expect(sharedRun(context, mute, {}, () => Promise.reject(new Error('boom')))).resolves.toBeUndefined();
    expect(lines.map((line) => line.msg)).toEqual(['command handler failed', 'could not tell the user about a failure']);
  });
});
