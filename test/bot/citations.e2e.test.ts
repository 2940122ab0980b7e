import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/backend/types.js';
import { bodyOf, editFor, type Harness, newUser, openRealEngine, startHarness } from '../support/harness.js';
import { copyOfSeeds } from '../support/helpers.js';

/**
 * Citations through the real discord.js client and the fake Discord: a seed article republished by
 * a wire service (two days earlier) and by a re-posting site. /ask quotes the story once, from the
 * first report, linked to the quoted words, naming the other outlets; /source shows the timeline;
 * /search publisher: still reaches the outlet's own copy.
 */
const SEED = '002_fd5b7e87bdf5c1a2';
const COPIES = ['wire/putin-ally', 'blog/repost', SEED];
let engine: Engine;
let harness: Harness;

beforeAll(async () => {
  const corpusDir = copyOfSeeds();
  const seedText = readFileSync(path.join(corpusDir, `${SEED}.txt`), 'utf8');
  const write = (file: string, front: string, body: string) => {
    mkdirSync(path.dirname(path.join(corpusDir, file)), { recursive: true });
    writeFileSync(path.join(corpusDir, file), `---\n${front}\n---\n${body}`);
  };
  write(
    'wire/putin-ally.md',
    'title: Putin ally in Havana\npublisher: Wire Service\ndate: 2022-02-14\nurl: https://wire.example/putin-ally',
    seedText,
  );
  write(
    'blog/repost.md',
    'title: "UPDATED: Russia and Cuba deepen ties"\npublisher: Daily Repost\ndate: 2022-02-20\nurl: https://repost.example/ties',
    `${seedText}\n\nMore shipments are expected.\n`,
  );
  engine = await openRealEngine(corpusDir);
  harness = await startHarness(engine);
}, 300_000);

afterAll(async () => {
  await harness?.close();
  engine?.close();
});

describe('citations in Discord', () => {
  it('/ask quotes a story once, from its first report, linked to the words, naming the other outlets', async () => {
    const { token } = harness.fake.slashCommand('ask', [{ name: 'question', value: 'How much wheat did Russia donate to Cuba?' }], {
      userId: newUser(),
    });
    const reply = bodyOf(await editFor(harness.fake, token));
    const embeds = reply.embeds!;
    const story = embeds.filter((embed) => COPIES.some((id) => embed.footer!.text.includes(id)));
    expect(story).toHaveLength(1);
    expect(embeds[0]!.url).toMatch(/^https:\/\/wire\.example\/putin-ally#:~:text=/);
    expect(embeds[0]!.footer!.text).toContain('Wire Service · 2022-02-14 · wire/putin-ally');
    expect(embeds[0]!.footer!.text).toContain(
      'First reported by Wire Service on 2022-02-14; also published by Daily Repost (2022-02-20), ',
    );
    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('/source shows the story’s timeline, first report first', async () => {
    const { token } = harness.fake.slashCommand('source', [{ name: 'document', value: SEED }], { userId: newUser() });
    const embed = bodyOf(await editFor(harness.fake, token)).embeds![0]!;
    const timeline = embed.fields!.find((field) => field.name === 'Published 3 times (first report first)')!;
    const lines = timeline.value.split('\n');
    expect(lines[0]).toBe('2022-02-14 · Wire Service · `wire/putin-ally`');
    expect(lines[1]).toBe('2022-02-20 · Daily Repost · `blog/repost`');
    expect(lines[2]).toMatch(new RegExp(`^\\*\\*undated · .* · \`${SEED}\`\\*\\* \\(this article\\)$`));
  });

  it('/search publisher: reaches an outlet’s own copy, and /sources lists every copy', async () => {
    const search = harness.fake.slashCommand(
      'search',
      [
        { name: 'query', value: 'wheat donation' },
        { name: 'publisher', value: 'Daily Repost' },
      ],
      { userId: newUser() },
    );
    const page = bodyOf(await editFor(harness.fake, search.token)).embeds![0]!;
    expect(page.description).toContain('`blog/repost`');
    expect(page.description).toContain('https://repost.example/ties#:~:text=');
    const sources = harness.fake.slashCommand('sources', [], { userId: newUser() });
    const listed = bodyOf(await editFor(harness.fake, sources.token)).embeds![0]!;
    for (const id of COPIES) expect(listed.description).toContain(`\`${id}\``);
  });
});
