import { randomUUID } from 'node:crypto';
import {
  DEFAULT_SETTINGS,
  isSettingName,
  type PlaceSettings,
  resolveSettings,
  type SettingName,
  type SettingOrigin,
  type SettingValue,
} from './settings.js';
import { migrateCommunity, type SqlDatabase } from './sql.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** channel_id of a server-wide row. */
const SERVER = '';

export type Verdict = 'helpful' | 'wrong';
export type HiddenKind = 'document' | 'publisher';

export interface StoredQuestion {
  guildId: string;
  channelId: string;
  question: string;
  answered: boolean;
  messageUrl?: string | null;
}

export interface QuoteFeedback {
  questionId: string;
  docId: string;
  start: number | null;
  end: number | null;
  verdict: Verdict;
}

/** What a report is built from: one server's stored questions and feedback since a time. */
export interface ReportData {
  asked: number;
  answered: number;
  notCovered: Array<{ question: string; messageUrl: string | null; askedAt: number }>;
  /** Quotes marked "wrong source", with how often. */
  wrongQuotes: Array<{ docId: string; start: number | null; end: number | null; count: number }>;
}

/**
 * A community's own data: settings per server and channel, the questions asked (for /report), feedback
 * on single quotes, and hidden articles. Nothing else of users' messages is stored, and no user ids.
 * One implementation over SQLite and PostgreSQL (sql.ts).
 */
export class CommunityStore {
  private constructor(private readonly db: SqlDatabase) {}

  /** Opens the store, bringing its tables up to date first. */
  static async open(db: SqlDatabase): Promise<CommunityStore> {
    await migrateCommunity(db);
    return new CommunityStore(db);
  }

  get where(): string {
    return this.db.where;
  }

  /** The settings in force in a channel (or server-wide with `channelId` null), and where each came from. */
  async settings(
    guildId: string,
    channelId: string | null,
  ): Promise<{ settings: PlaceSettings; origins: Map<SettingName, SettingOrigin> }> {
    const rows = await this.db.all('SELECT channel_id, name, value FROM community_settings WHERE guild_id = ? AND channel_id IN (?, ?)', [
      guildId,
      SERVER,
      channelId ?? SERVER,
    ]);
    const server = new Map<SettingName, SettingValue>();
    const channel = new Map<SettingName, SettingValue>();
    for (const row of rows) {
      const name = String(row.name);
      if (!isSettingName(name)) continue;
      (row.channel_id === SERVER ? server : channel).set(name, JSON.parse(String(row.value)) as SettingValue);
    }
    return resolveSettings(server, channelId ? channel : new Map());
  }

  /** Stores values for a server (`channelId` null) or one channel; the caller has checked names and levels. */
  async set(guildId: string, channelId: string | null, values: ReadonlyMap<SettingName, SettingValue>): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const [name, value] of values) {
        await tx.run(
          `INSERT INTO community_settings (guild_id, channel_id, name, value, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (guild_id, channel_id, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
          [guildId, channelId ?? SERVER, name, JSON.stringify(value), Date.now()],
        );
      }
    });
  }

  /** Forgets a place's own values (all of them, or the names given), so the server's or the default apply again. */
  async reset(guildId: string, channelId: string | null, names?: readonly SettingName[]): Promise<number> {
    const only = names?.length ? ` AND name IN (${names.map(() => '?').join(', ')})` : '';
    return this.db.run(`DELETE FROM community_settings WHERE guild_id = ? AND channel_id = ?${only}`, [
      guildId,
      channelId ?? SERVER,
      ...(names ?? []),
    ]);
  }

  /** Channels with a value of their own, e.g. to list the allow or deny list. */
  async channelsWith(guildId: string, name: SettingName, value: SettingValue): Promise<string[]> {
    const rows = await this.db.all(
      'SELECT channel_id FROM community_settings WHERE guild_id = ? AND channel_id <> ? AND name = ? AND value = ? ORDER BY channel_id',
      [guildId, SERVER, name, JSON.stringify(value)],
    );
    return rows.map((row) => String(row.channel_id));
  }

  /** Records a question as it is answered; returns its id, for feedback and the message link. */
  async recordQuestion(question: StoredQuestion, at = Date.now()): Promise<string> {
    const id = randomUUID();
    await this.db.run(
      'INSERT INTO community_questions (id, guild_id, channel_id, message_url, question, answered, asked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [id, question.guildId, question.channelId, question.messageUrl ?? null, question.question, question.answered ? 1 : 0, at],
    );
    return id;
  }

  async setMessageUrl(questionId: string, url: string): Promise<void> {
    await this.db.run('UPDATE community_questions SET message_url = ? WHERE id = ?', [url, questionId]);
  }

  /** False when the question is gone (past retention). */
  async recordFeedback(feedback: QuoteFeedback, at = Date.now()): Promise<boolean> {
    const known = await this.db.all('SELECT 1 AS found FROM community_questions WHERE id = ?', [feedback.questionId]);
    if (known.length === 0) return false;
    await this.db.run(
      'INSERT INTO community_feedback (question_id, doc_id, start_offset, end_offset, verdict, at) VALUES (?, ?, ?, ?, ?, ?)',
      [feedback.questionId, feedback.docId, feedback.start, feedback.end, feedback.verdict, at],
    );
    return true;
  }

  async hide(guildId: string, kind: HiddenKind, value: string): Promise<void> {
    await this.db.run(
      'INSERT INTO community_hidden (guild_id, kind, value, hidden_at) VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, kind, value) DO NOTHING',
      [guildId, kind, value, Date.now()],
    );
  }

  /** False when it was not hidden. */
  async unhide(guildId: string, kind: HiddenKind, value: string): Promise<boolean> {
    return (
      (await this.db.run('DELETE FROM community_hidden WHERE guild_id = ? AND kind = ? AND lower(value) = lower(?)', [
        guildId,
        kind,
        value,
      ])) > 0
    );
  }

  async hidden(guildId: string): Promise<{ documents: string[]; publishers: string[] }> {
    const rows = await this.db.all('SELECT kind, value FROM community_hidden WHERE guild_id = ? ORDER BY value', [guildId]);
    const of = (kind: HiddenKind) => rows.filter((row) => row.kind === kind).map((row) => String(row.value));
    return { documents: of('document'), publishers: of('publisher') };
  }

  /** One server's stored questions and feedback since `since` (ms). */
  async reportData(guildId: string, since: number): Promise<ReportData> {
    const questions = await this.db.all(
      'SELECT question, answered, message_url, asked_at FROM community_questions WHERE guild_id = ? AND asked_at >= ? ORDER BY asked_at DESC',
      [guildId, since],
    );
    const wrong = await this.db.all(
      `SELECT f.doc_id, f.start_offset, f.end_offset, count(*) AS n FROM community_feedback f JOIN community_questions q ON q.id = f.question_id
       WHERE q.guild_id = ? AND f.at >= ? AND f.verdict = 'wrong' GROUP BY f.doc_id, f.start_offset, f.end_offset ORDER BY n DESC, f.doc_id`,
      [guildId, since],
    );
    const notCovered = questions.filter((row) => Number(row.answered) === 0);
    return {
      asked: questions.length,
      answered: questions.length - notCovered.length,
      notCovered: notCovered.map((row) => ({
        question: String(row.question),
        messageUrl: nullableString(row.message_url),
        askedAt: Number(row.asked_at),
      })),
      wrongQuotes: wrong.map((row) => ({
        docId: String(row.doc_id),
        start: nullableNumber(row.start_offset),
        end: nullableNumber(row.end_offset),
        count: Number(row.n),
      })),
    };
  }

  /**
   * Deletes questions (and their feedback) older than each server's retention (default 90 days).
   * Returns how many questions were deleted.
   */
  async purgeExpired(now = Date.now()): Promise<number> {
    const custom = await this.db.all(`SELECT guild_id, value FROM community_settings WHERE channel_id = ? AND name = 'retention_days'`, [
      SERVER,
    ]);
    const customGuilds = custom.map((row) => String(row.guild_id));
    let deleted = 0;
    for (const row of custom)
      deleted += await this.deleteQuestions('guild_id = ?', [String(row.guild_id)], now - Number(JSON.parse(String(row.value))) * DAY_MS);
    const others = customGuilds.length > 0 ? `guild_id NOT IN (${customGuilds.map(() => '?').join(', ')})` : '1 = 1';
    deleted += await this.deleteQuestions(others, customGuilds, now - DEFAULT_SETTINGS.retentionDays * DAY_MS);
    return deleted;
  }

  /** Feedback first: SQLite enforces the foreign key only where the connection turned it on. */
  private async deleteQuestions(where: string, params: unknown[], before: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        `DELETE FROM community_feedback WHERE question_id IN (SELECT id FROM community_questions WHERE ${where} AND asked_at < ?)`,
        [...params, before],
      );
      return tx.run(`DELETE FROM community_questions WHERE ${where} AND asked_at < ?`, [...params, before]);
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

function nullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
