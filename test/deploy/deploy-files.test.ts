import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SHUTDOWN_GRACE_MS, TELL_GRACE_MS } from '../../src/bot/bot.js';
import { CONFIG_VARIABLES } from '../../src/config.js';
import { ROOT } from '../support/helpers.js';

/**
 * The deployment files (deploy/) agree with the code: they start the entry point that exists, give
 * the bot longer to stop than its own grace, never restart a mistake in a loop, and set only
 * variables the configuration reads. Running them is tested too: the systemd unit with
 * systemd-analyze here, the container image in container.e2e.test.ts where podman can run one.
 */
const read = (file: string) => readFileSync(path.join(ROOT, 'deploy', file), 'utf8');
const unit = read('quotebot.service');
const containerfile = read('Containerfile');
const compose = parse(read('compose.yaml'), { merge: true }) as {
  services: Record<
    string,
    {
      command?: string[];
      environment?: Record<string, string>;
      stop_grace_period?: string;
      depends_on?: Record<string, { condition: string }>;
      volumes?: string[];
    }
  >;
};
/** What the bot needs after SIGTERM before it exits on its own (s). */
const BOT_STOP_SECONDS = (SHUTDOWN_GRACE_MS + TELL_GRACE_MS) / 1000;

function unitValue(key: string): string {
  const line = unit.split('\n').find((row) => row.startsWith(`${key}=`));
  if (!line) throw new Error(`no ${key}= in deploy/quotebot.service`);
  return line.slice(key.length + 1);
}

describe('deploy/quotebot.service', () => {
  it('starts the bot with node itself, gives it time to finish, and does not restart a mistake', () => {
    const [node, ...args] = unitValue('ExecStart').split(' ');
    expect(path.basename(node!)).toBe('node');
    expect(args).toEqual(['--import', 'tsx', 'src/cli/start.ts']);
    expect(existsSync(path.join(ROOT, args.at(-1)!))).toBe(true);
    expect(unitValue('KillSignal')).toBe('SIGTERM');
    expect(Number(unitValue('TimeoutStopSec'))).toBeGreaterThan(BOT_STOP_SECONDS + 5);
    expect(unitValue('RestartPreventExitStatus')).toBe('2'); // runCli's "a mistake to fix"
  });

  it('passes systemd-analyze verify', (context) => {
    const found = spawnSync('systemd-analyze', ['--version']);
    if (found.error) return context.skip(); // no systemd tools on this machine
    const verified = spawnSync('systemd-analyze', ['verify', path.join(ROOT, 'deploy', 'quotebot.service')], { encoding: 'utf8' });
    // It only warns about some mistakes (an unknown signal name), so its output must be empty too.
    expect({ status: verified.status, output: `${verified.stdout}${verified.stderr}`.trim() }).toEqual({ status: 0, output: '' });
  });
});

describe('deploy/Containerfile and deploy/compose.yaml', () => {
  it('run the same entry point as the unit, as a non-root user, with models, index, corpus and settings in volumes', () => {
    expect(containerfile).toContain('CMD ["node", "--import", "tsx", "src/cli/start.ts"]');
    expect(containerfile.match(/^FROM /gm)).toHaveLength(2); // multi-stage
    expect(containerfile).toMatch(/^USER quotebot$/m);
    expect(containerfile).toContain('VOLUME ["/models", "/data/index", "/data/corpus", "/data/community"]');
    expect(compose.services.ingest!.command).toEqual(['node', '--import', 'tsx', 'src/cli/ingest.ts']);
    expect(existsSync(path.join(ROOT, 'src/cli/ingest.ts'))).toBe(true);
  });

  it('set only variables the configuration reads', () => {
    const fromContainerfile = [...containerfile.matchAll(/^\s*(?:ENV\s+)?([A-Z_]+)=\S+/gm)].map((match) => match[1]!);
    const fromCompose = Object.values(compose.services).flatMap((service) => Object.keys(service.environment ?? {}));
    const fromUnit = [...unit.matchAll(/^Environment=([A-Z_]+)=/gm)].map((match) => match[1]!);
    expect(fromUnit).toEqual(['COMMUNITY_DB']);
    const named = [...fromContainerfile, ...fromCompose, ...fromUnit].filter(
      (name) => !name.startsWith('POSTGRES_') && name !== 'NODE_ENV',
    );
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });

  it('start the bot after PostgreSQL and the one ingest, and give it longer to stop than its own grace', () => {
    const { bot, ingest } = compose.services;
    expect(ingest!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(bot!.depends_on).toEqual({ ingest: { condition: 'service_completed_successfully' } });
    expect(Number.parseInt(bot!.stop_grace_period!, 10)).toBeGreaterThan(BOT_STOP_SECONDS + 5);
    expect(bot!.volumes).toContainEqual(expect.stringMatching(/:\/models:ro$/));
  });
});
