import { ApplicationCommandType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { loadCommands } from '../../src/bot/registry.js';

describe('loadCommands', () => {
  it('collects one command per file in src/bot/commands', async () => {
    const registry = await loadCommands();
    expect([...registry.slash.keys()].sort()).toEqual(['ask', 'corpus', 'help', 'search', 'source', 'sources']);
    expect([...registry.message.keys()]).toEqual(['Find sources']);
    const bodies = registry.bodies();
    expect(bodies).toHaveLength(7);
    expect(bodies.find((body) => body.name === 'Find sources')?.type).toBe(ApplicationCommandType.Message);
    for (const body of bodies) expect(body.name.length).toBeLessThanOrEqual(32);
  });
});
