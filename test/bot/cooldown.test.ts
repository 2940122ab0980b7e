import { describe, expect, it } from 'vitest';
import { Cooldown } from '../../src/bot/cooldown.js';

describe('Cooldown', () => {
  it('lets a user ask, then reports whole seconds left until the cooldown ends', () => {
    let now = 1_000_000;
    const cooldown = new Cooldown(5, () => now);
    expect(cooldown.take('alice')).toBe(0);
    now += 1_200;
    expect(cooldown.take('alice')).toBe(4);
    now += 3_799;
    expect(cooldown.take('alice')).toBe(1);
    now += 1;
    expect(cooldown.take('alice')).toBe(0);
  });

  it('is per user', () => {
    const cooldown = new Cooldown(5, () => 0);
    expect(cooldown.take('alice')).toBe(0);
    expect(cooldown.take('bob')).toBe(0);
    expect(cooldown.take('alice')).toBe(5);
  });

  it('never blocks when set to zero seconds', () => {
    const cooldown = new Cooldown(0, () => 0);
    expect([cooldown.take('alice'), cooldown.take('alice')]).toEqual([0, 0]);
  });
});
