import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationCommandOptionType, InteractionContextType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/backend/types.js';
import { ADMIN_ONLY_TEXT } from '../../src/bot/preconditions.js';
import { loadRegistry } from '../../src/bot/registry.js';
import { openEngine } from '../../src/engine/open.js';
import { limitViolations } from '../support/discord-limits.js';
import {
  bodyOf,
  callbackFor,
  editFor,
  type Harness,
  messageOf,
  messageWrites,
  newUser,
  type SentBody,
  startHarness,
} from '../support/harness.js';
import { copyOfSeeds, modelsDir, TEST_MODEL, TEST_READER, TEST_RERANK_MODELS, tempDir } from '../support/helpers.js';
import { FIXTURES, NewsServer } from '../support/news-server.js';

/**
 * /corpus against the fake Discord with the real engine: attachments are downloaded from the fake's
 * CDN route on 127.0.0.1 (hence IMPORT_ALLOW_PRIVATE_HOSTS=true here), written into a copy of the
 * seeds, and answerable by the next /ask.
 */

const ADMIN =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.ManageGuild;
const MAX_UPLOAD = 64 * 1024;
const corpusDir = copyOfSeeds();
const indexDir = tempDir('corpus-index-');
let engine: Engine;
let harness: Harness;
let site: NewsServer;

beforeAll(async () => {
  site = await NewsServer.start();
  engine = await openEngine({
    corpusDir,
    indexDir,
    model: TEST_MODEL,
    rerankModels: TEST_RERANK_MODELS,
    reader: TEST_READER,
    modelsDir: modelsDir(),
  });
  harness = await startHarness(
    engine,
    {},
    {
      CORPUS_DIR: corpusDir,
      INDEX_DIR: indexDir,
      IMPORT_ALLOW_PRIVATE_HOSTS: 'true',
      MAX_UPLOAD_BYTES: String(MAX_UPLOAD),
      COOLDOWN_SECONDS: '0',
    },
  );
});

afterAll(async () => {
  await harness?.close();
  engine?.close();
  await site?.close();
});

/** Every file of the corpus with its bytes: a refused upload must leave this exactly as it was. */
function snapshot(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(corpusDir, { recursive: true, encoding: 'utf8' })
      .sort()
      .map((file) => [file, readFileSync(path.join(corpusDir, file), 'latin1')]),
  );
}

type Option = { name: string; value: string | boolean; type?: ApplicationCommandOptionType };

async function corpus(subcommand: string, options: Option[], permissions = ADMIN): Promise<SentBody> {
  const { token } = harness.fake.slashCommand('corpus', options, { subcommand, permissions, userId: newUser() });
  const callback = await callbackFor(harness.fake, token);
  if ((callback.body as { type: number }).type === 4) return messageOf(callback);
  expect((callback.body as { data?: { flags?: number } }).data?.flags).toBe(MessageFlags.Ephemeral);
  return bodyOf(await editFor(harness.fake, token));
}

function attach(name: string, data: string | Buffer, fields: { contentType?: string; size?: number } = {}) {
  const attachment = harness.fake.createAttachment(name, data, { contentType: 'text/html; charset=utf-8', ...fields });
  return [{ name: 'file', value: attachment.id, type: ApplicationCommandOptionType.Attachment }];
}

async function ask(question: string): Promise<SentBody> {
  const { token } = harness.fake.slashCommand('ask', [{ name: 'question', value: question }], { userId: newUser() });
  return bodyOf(await editFor(harness.fake, token));
}

describe('/corpus registration', () => {
  it('is registered for servers only, for members with Manage Server by default', async () => {
    const body = (await loadRegistry()).commandBodies().find((command) => command.name === 'corpus')!;
    expect(body.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    expect(body.contexts).toEqual([InteractionContextType.Guild]);
    expect(('options' in body ? (body.options ?? []) : []).map((option) => option.name)).toEqual([
      'add',
      'remove',
      'status',
      'hide',
      'unhide',
    ]);
  });
});

describe('/corpus for admins', () => {
  it('adds an HTML attachment; the reply quotes its first lines with attribution, and /ask quotes it at once', async () => {
    const reply = await corpus('add', attach('bridge.html', readFileSync(path.join(FIXTURES, 'harbour-bridge.html'))));
    expect(reply.content).toBe('Added — it can be quoted now.');
    const embed = reply.embeds![0]!;
    expect(embed.title).toBe('Harbour bridge reopens after eight months of repairs');
    expect(embed.url).toBe('https://gazette.example/2024/03/04/harbour-bridge-reopens');
    expect(embed.description).toMatch(/^> The harbour bridge reopened to traffic on Monday morning/);
    expect(embed.fields).toEqual([
      { name: 'Publisher', value: 'Harbour Gazette', inline: true },
      { name: 'Author', value: 'Ana Ruiz, Tom Lee', inline: true },
      { name: 'Date', value: '2024-03-04', inline: true },
    ]);
    expect(embed.footer?.text).toBe('Harbour Gazette · 2024-03-04 · harbour-bridge-reopens-after-eight-months-of-repairs');
    expect(harness.fake.calls.some((call) => call.path.startsWith('/attachments/') && call.status === 200)).toBe(true);
    expect(existsSync(path.join(corpusDir, 'harbour-bridge-reopens-after-eight-months-of-repairs.md'))).toBe(true);

    const answer = await ask('How long should the new bridge deck last?');
    expect(answer.embeds![0]!.title).toBe('1. Harbour bridge reopens after eight months of repairs');
    expect(answer.embeds![0]!.description).toContain('fifty years');
  });

  it("refuses a copy from elsewhere that claims an article's URL, unless replace:true, and says what it replaced", async () => {
    const before = snapshot();
    const bridge = readFileSync(path.join(FIXTURES, 'harbour-bridge.html'), 'utf8');
    const copy = await corpus('add', attach('copy.html', bridge.replace('fifty years', 'a hundred years')));
    expect(copy.content).toMatch(
      /^Nothing was added: other-origin: harbour-bridge-reopens-after-eight-months-of-repairs\.md already holds https\\:\/\/gazette\.example\/2024\/03\/04\/harbour-bridge-reopens, from upload:bridge\.html; this copy comes from upload:copy\.html/,
    );
    const md =
      '---\ntitle: Harbour bridge\nurl: https://gazette.example/2024/03/04/harbour-bridge-reopens\n---\n\nThe bridge will never reopen, the council said on Monday.\n';
    expect((await corpus('add', attach('bridge-news.md', md, { contentType: 'text/markdown' }))).content).toMatch(
      /^Nothing was added: other-origin: /,
    );
    expect(snapshot()).toEqual(before);

    const replaced = await corpus('add', [
      ...attach('copy.html', bridge.replace('fifty years', 'a hundred years')),
      { name: 'replace', value: true },
    ]);
    expect(replaced.content).toBe('Updated — it can be quoted now.\n*Note: replaced the article from upload:bridge.html (replace:true)*');
    expect(readFileSync(path.join(corpusDir, 'harbour-bridge-reopens-after-eight-months-of-repairs.md'), 'utf8')).toContain(
      'a hundred years',
    );
  });

  it('adds a Markdown file as it is, with the attribution from its front matter', async () => {
    const md =
      '---\ntitle: Night trains return to the coast line\npublisher: Rail Weekly\nauthor: Sam Ortiz\ndate: 2024-05-06\nurl: https://rail.example/night-trains\n---\n\nNight trains will run on the coast line again from June, the operator said on Monday, after a break of six years.\n\nSleeper cars will be refurbished carriages bought from a neighbouring operator.\n';
    const reply = await corpus('add', attach('Night Trains.md', md, { contentType: 'text/markdown; charset=utf-8' }));
    expect(reply.embeds![0]).toMatchObject({
      title: 'Night trains return to the coast line',
      url: 'https://rail.example/night-trains',
      footer: { text: 'Rail Weekly · 2024-05-06 · night-trains' },
    });
    expect(readFileSync(path.join(corpusDir, 'night-trains.md'), 'utf8')).toBe(md);
    // Sending it again changes nothing.
    expect((await corpus('add', attach('night-trains.md', md, { contentType: 'text/markdown' }))).content).toBe(
      'Already in the corpus, unchanged: — it can be quoted now.',
    );
  });

  it('adds a web page by URL', async () => {
    const reply = await corpus('add', [{ name: 'url', value: site.url('/news/wind-farm.html') }]);
    expect(reply.embeds![0]).toMatchObject({
      title: 'Offshore wind farm approved despite fishing fleet objections',
      footer: { text: 'Northern Coast Herald · 2023-11-21 · offshore-wind-farm-approved-despite-fishing-fleet-objections' },
    });
  });

  it('refuses bad uploads with a named reason and writes nothing of them', async () => {
    const before = snapshot();
    const refusals: Array<[string, Option[], RegExp]> = [
      [
        'a PDF',
        attach('report.pdf', '%PDF-1.7', { contentType: 'application/pdf' }),
        /^Nothing was added: unsupported-type: report\.pdf: only \.md, \.txt, \.html, \.htm files can be added$/,
      ],
      [
        'an image named .html',
        attach('photo.html', 'GIF89a', { contentType: 'image/gif' }),
        /^Nothing was added: unsupported-type: photo\.html is image\/gif, not a text file$/,
      ],
      [
        'a file declared too large',
        attach('big.html', '<p>small</p>', { size: MAX_UPLOAD + 1 }),
        /^Nothing was added: too-large: big\.html is 65,537 bytes; the limit is 65,536 bytes \(64 KB\)$/,
      ],
      [
        'a file larger than it claims',
        attach('liar.md', `# Liar\n\n${'A sentence that goes on. '.repeat(5000)}`, { size: 100, contentType: 'text/markdown' }),
        /^Nothing was added: too-large: .*liar\.md is larger than 64 KB$/,
      ],
      [
        'binary data',
        attach('notes.txt', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), { contentType: 'text/plain' }),
        /^Nothing was added: not-text: notes\.txt is not a text file/,
      ],
      [
        'a page without an article',
        attach('login.html', readFileSync(path.join(FIXTURES, 'login.html'))),
        /^Nothing was added: no-article: no article text found in login\.html/,
      ],
      ['an empty page', attach('empty.html', ''), /^Nothing was added: no-article: no article text found in empty\.html/],
      [
        'Latin-1 bytes labelled UTF-8',
        attach(
          'latin1.html',
          Buffer.from(readFileSync(path.join(FIXTURES, 'wind-farm.html'), 'utf8').replace('fishing', 'fishing caf\u00e9'), 'latin1'),
        ),
        /^Nothing was added: bad-charset: latin1\.html is not valid utf-8/,
      ],
      [
        'front matter and nothing else',
        attach('empty.md', '---\ntitle: Nothing\n---\n', { contentType: 'text/markdown' }),
        /^Nothing was added: no-article: empty\.md: no text after the front matter$/,
      ],
      [
        'a URL with credentials',
        [{ name: 'url', value: 'http://user:secret@127.0.0.1:9/news' }],
        /^Nothing was added: bad-url: http\\:\/\/\\\*\\\*\\\*\\@127\.0\.0\.1:9\/news has a user name or password in it/,
      ],
      [
        'a URL nobody answers',
        [{ name: 'url', value: 'http://127.0.0.1:9/news' }],
        /^Nothing was added: network: http\\:\/\/127\.0\.0\.1:9\/news: ECONNREFUSED$/,
      ],
    ];
    for (const [what, options, expected] of refusals) {
      expect((await corpus('add', options)).content, what).toMatch(expected);
    }
    expect(await corpus('add', [])).toMatchObject({ content: 'Give either a `file` or a `url` to add, not both.' });
    expect(snapshot()).toEqual(before);
    expect(JSON.stringify(harness.logs)).not.toContain('secret');
  });

  it('removes an article picked by autocomplete; it is never quoted again', async () => {
    const { token } = harness.fake.autocomplete('corpus', [{ name: 'document', value: 'night trains' }], 'document', {
      subcommand: 'remove',
      permissions: ADMIN,
    });
    const choices = messageOf(await callbackFor(harness.fake, token)).choices!;
    expect(choices).toEqual([{ name: 'Night trains return to the coast line — Rail Weekly, 2024-05-06', value: 'night-trains' }]);

    const reply = await corpus('remove', [{ name: 'document', value: 'night-trains' }]);
    expect(reply.content).toMatch(/^Removed \*\*Night trains return to the coast line\*\* \(`night-trains`\)\. \d+ articles left/);
    expect(existsSync(path.join(corpusDir, 'night-trains.md'))).toBe(false);
    const answer = await ask('When will night trains run on the coast line again?');
    expect(JSON.stringify(answer)).not.toContain('Night trains return');
  });

  it('shows the status: documents, chunks, last ingest, and what was skipped', async () => {
    writeFileSync(path.join(corpusDir, 'blank.txt'), '   \n');
    const reply = await corpus('status', []);
    const fields = Object.fromEntries(reply.embeds![0]!.fields!.map((field) => [field.name, field.value]));
    expect(fields.Documents).toBe(`${engine.documents().length} on disk, ${engine.documents().length} answerable`);
    expect(Number(fields.Chunks)).toBeGreaterThan(30);
    expect(fields['Last ingest']).toMatch(/^<t:\d+:R> \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\)$/);
    expect(fields['Skipped or warned (1)']).toBe('• blank.txt — skipped: empty');
  });
});

describe('/corpus for everyone else', () => {
  it('is refused at run time without Manage Server, whatever the server settings let through', async () => {
    const before = snapshot();
    const reply = await corpus(
      'add',
      attach('bridge2.html', readFileSync(path.join(FIXTURES, 'wind-farm.html'))),
      PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages,
    );
    expect(reply.content).toBe(ADMIN_ONLY_TEXT);
    expect(reply.flags).toBe(MessageFlags.Ephemeral);
    expect((await corpus('status', [], PermissionFlagsBits.ViewChannel)).content).toMatch(/Manage Server/);
    const { token } = harness.fake.autocomplete('corpus', [{ name: 'document', value: '' }], 'document', { subcommand: 'remove' });
    expect(messageOf(await callbackFor(harness.fake, token)).choices).toEqual([]);
    expect(snapshot()).toEqual(before);
  });

  it('sends only messages within Discord limits, pinging nobody, over routes the fake knows', () => {
    for (const call of messageWrites(harness.fake)) {
      const message = messageOf(call);
      expect(limitViolations(message), `${call.method} ${call.path}`).toEqual([]);
      expect(message.allowed_mentions?.parse).toEqual([]);
    }
    expect(harness.fake.unhandled).toEqual([]);
    expect(harness.logs.filter((line) => line.level >= 50)).toEqual([]);
  });
});
