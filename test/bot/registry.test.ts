import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationCommandType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { BUTTON_NAMESPACES } from '../../src/bot/buttons/custom-ids.js';
import { loadRegistry } from '../../src/bot/registry.js';
import { tempDir } from '../support/helpers.js';

/** A registry folder pair whose components/ holds the given files. */
function foldersWithComponents(files: Record<string, string>): { commands: string; components: string } {
  const root = tempDir('registry-');
  const dirs = { commands: path.join(root, 'commands'), components: path.join(root, 'components') };
  mkdirSync(dirs.commands);
  mkdirSync(dirs.components);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dirs.components, name), text);
  return dirs;
}

describe('loadRegistry', () => {
  it('collects one command per file in src/bot/commands', async () => {
    const registry = await loadRegistry();
    expect([...registry.slash.keys()].sort()).toEqual(['ask', 'corpus', 'help', 'report', 'search', 'settings', 'source', 'sources']);
    expect([...registry.message.keys()]).toEqual(['Find sources']);
    const bodies = registry.commandBodies();
    expect(bodies).toHaveLength(9);
    expect(bodies.find((body) => body.name === 'Find sources')?.type).toBe(ApplicationCommandType.Message);
    // A user install: Find sources works where the bot is not a member.
    expect(bodies.find((body) => body.name === 'Find sources')?.integration_types).toEqual([0, 1]);
    for (const body of bodies) expect(body.name.length).toBeLessThanOrEqual(32);
  });

  it('collects one button handler per file in src/bot/components, by namespace', async () => {
    const registry = await loadRegistry();
    expect([...registry.components.keys()].sort()).toEqual(['feedback', 'search', 'share', 'sources']);
    expect(new Set(registry.components.keys())).toEqual(new Set(Object.values(BUTTON_NAMESPACES)));
    for (const [namespace, component] of registry.components) {
      expect(component.namespace).toBe(namespace);
      expect(typeof component.execute).toBe('function');
    }
  });

  it('refuses a component file without a handler, and two handlers for one namespace', async () => {
    const handler = (namespace: string) => `export default { namespace: '${namespace}', async execute() {} };\n`;
    await expect(loadRegistry(foldersWithComponents({ 'broken.js': 'export default { execute() {} };\n' }))).rejects.toThrow(
      'broken.js must default-export a component handler with "namespace" and "execute"',
    );
    await expect(loadRegistry(foldersWithComponents({ 'a.js': handler('pager'), 'b.js': handler('pager') }))).rejects.toThrow(
      'two component handlers answer the namespace "pager"',
    );
    const registry = await loadRegistry(foldersWithComponents({ 'a.js': handler('pager'), 'b.js': handler('other') }));
    expect([...registry.components.keys()]).toEqual(['pager', 'other']);
  });
});
