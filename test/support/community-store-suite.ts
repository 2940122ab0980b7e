import { expect, it } from 'vitest';
import { COMMUNITY_SCHEMA_VERSION } from '../../src/community/migrations.js';
import { DEFAULT_SETTINGS } from '../../src/community/settings.js';
import { migrateCommunity, type SqlDatabase } from '../../src/community/sql.js';
import { CommunityStore } from '../../src/community/store.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * The same checks for every database the store runs on (SQLite, PostgreSQL): `open` returns a new
 * connection to the same database each time, so "survives a restart" is a close and a reopen.
 */
export function communityStoreSuite(open: () => SqlDatabase): void {
  it('migrates once: a second open applies nothing and keeps the data', async () => {
    const db = open();
    expect(await migrateCommunity(db)).toEqual([COMMUNITY_SCHEMA_VERSION]);
    expect(await migrateCommunity(db)).toEqual([]);
    const versions = await db.all('SELECT version FROM community_migrations');
    expect(versions.map((row) => Number(row.version))).toEqual([COMMUNITY_SCHEMA_VERSION]);
    await db.close();
  });

  it('resolves channel over server over default, resets, and survives a reopen', async () => {
    const store = await CommunityStore.open(open());
    expect((await store.settings('g1', 'c1')).settings).toEqual(DEFAULT_SETTINGS);
    await store.set(
      'g1',
      null,
      new Map<never, never>([
        ['results', 5],
        ['private', false],
        ['answer_in', 'allow'],
      ] as never),
    );
    await store.set(
      'g1',
      'c1',
      new Map<never, never>([
        ['results', 2],
        ['listed', true],
        ['folder', 'bbc/2024'],
        ['after', '2022-01-01'],
      ] as never),
    );
    await store.set('g1', 'c1', new Map<never, never>([['results', 4]] as never));
    const { settings, origins } = await store.settings('g1', 'c1');
    expect(settings).toMatchObject({
      results: 4,
      private: false,
      answerIn: 'allow',
      listed: true,
      scope: { folder: 'bbc/2024', after: '2022-01-01' },
    });
    expect(origins.get('results')).toBe('channel');
    expect(origins.get('private')).toBe('server');
    expect(origins.get('mention_needed')).toBe('default');
    expect((await store.settings('g1', 'c2')).settings).toMatchObject({ results: 5, listed: false });
    expect((await store.settings('g2', 'c1')).settings).toEqual(DEFAULT_SETTINGS);
    expect(await store.channelsWith('g1', 'listed', true)).toEqual(['c1']);
    await store.close();

    const reopened = await CommunityStore.open(open());
    expect((await reopened.settings('g1', 'c1')).settings.results).toBe(4);
    expect(await reopened.reset('g1', 'c1', ['results'])).toBe(1);
    expect((await reopened.settings('g1', 'c1')).settings.results).toBe(5);
    expect(await reopened.reset('g1', 'c1')).toBe(3);
    expect((await reopened.settings('g1', 'c1')).settings.scope).toEqual({});
    await reopened.close();
  });

  it('stores questions and per-quote feedback for the report, and hides articles per server', async () => {
    const store = await CommunityStore.open(open());
    const now = Date.now();
    const answered = await store.recordQuestion({ guildId: 'r1', channelId: 'c', question: 'How much wheat?', answered: true }, now);
    await store.recordQuestion(
      {
        guildId: 'r1',
        channelId: 'c',
        question: 'What is the capital of Australia?',
        answered: false,
        messageUrl: 'https://discord.com/channels/r1/c/1',
      },
      now,
    );
    await store.recordQuestion({ guildId: 'r1', channelId: 'c', question: 'old question', answered: false }, now - 30 * DAY);
    await store.recordQuestion({ guildId: 'other', channelId: 'c', question: 'elsewhere', answered: false }, now);
    expect(await store.recordFeedback({ questionId: answered, docId: 'doc-a', start: 10, end: 50, verdict: 'wrong' })).toBe(true);
    expect(await store.recordFeedback({ questionId: answered, docId: 'doc-a', start: 10, end: 50, verdict: 'wrong' })).toBe(true);
    expect(await store.recordFeedback({ questionId: answered, docId: 'doc-b', start: 0, end: 5, verdict: 'helpful' })).toBe(true);
    expect(await store.recordFeedback({ questionId: 'gone', docId: 'doc-b', start: 0, end: 5, verdict: 'wrong' })).toBe(false);

    const report = await store.reportData('r1', now - 7 * DAY);
    expect(report).toEqual({
      asked: 2,
      answered: 1,
      notCovered: [{ question: 'What is the capital of Australia?', messageUrl: 'https://discord.com/channels/r1/c/1', askedAt: now }],
      wrongQuotes: [{ docId: 'doc-a', start: 10, end: 50, count: 2 }],
    });

    await store.hide('r1', 'document', 'doc-a');
    await store.hide('r1', 'document', 'doc-a');
    await store.hide('r1', 'publisher', 'Radio Habana Cuba');
    expect(await store.hidden('r1')).toEqual({ documents: ['doc-a'], publishers: ['Radio Habana Cuba'] });
    expect(await store.hidden('other')).toEqual({ documents: [], publishers: [] });
    expect(await store.unhide('r1', 'publisher', 'radio habana cuba')).toBe(true);
    expect(await store.unhide('r1', 'publisher', 'radio habana cuba')).toBe(false);
    await store.close();
  });

  it("deletes questions and their feedback past each server's retention (default 90 days)", async () => {
    const store = await CommunityStore.open(open());
    const now = Date.now();
    await store.set('short', null, new Map<never, never>([['retention_days', 7]] as never));
    const old = await store.recordQuestion({ guildId: 'short', channelId: 'c', question: 'eight days ago', answered: true }, now - 8 * DAY);
    await store.recordFeedback({ questionId: old, docId: 'd', start: 0, end: 1, verdict: 'wrong' });
    await store.recordQuestion({ guildId: 'short', channelId: 'c', question: 'six days ago', answered: true }, now - 6 * DAY);
    await store.recordQuestion({ guildId: 'default', channelId: 'c', question: 'eighty days ago', answered: true }, now - 80 * DAY);
    await store.recordQuestion({ guildId: 'default', channelId: 'c', question: 'ninety-one days ago', answered: true }, now - 91 * DAY);
    expect(await store.purgeExpired(now)).toBe(2);
    expect((await store.reportData('short', 0)).asked).toBe(1);
    expect((await store.reportData('short', 0)).wrongQuotes).toEqual([]);
    expect((await store.reportData('default', 0)).asked).toBe(1);
    await store.close();
  });
}
