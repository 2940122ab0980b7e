/**
 * The tables of a community's own data (settings, stored questions, feedback, hidden articles), the
 * same in SQLite and PostgreSQL: one list of versioned migrations, written in the SQL both accept
 * (text, bigint, ON CONFLICT ... DO UPDATE). Append-only: never edit a published migration, add the next.
 * Times are milliseconds since the epoch, as bigint.
 */
export interface CommunityMigration {
  version: number;
  name: string;
  statements: string[];
}

export const COMMUNITY_MIGRATIONS: CommunityMigration[] = [
  {
    version: 1,
    name: 'settings per server and channel, questions, per-quote feedback, hidden articles and publishers',
    statements: [
      // channel_id '' holds the server-wide value; a channel's own row overrides it.
      `CREATE TABLE community_settings (
        guild_id text NOT NULL,
        channel_id text NOT NULL,
        name text NOT NULL,
        value text NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (guild_id, channel_id, name)
      )`,
      `CREATE TABLE community_questions (
        id text PRIMARY KEY,
        guild_id text NOT NULL,
        channel_id text NOT NULL,
        message_url text,
        question text NOT NULL,
        answered integer NOT NULL,
        asked_at bigint NOT NULL
      )`,
      'CREATE INDEX community_questions_by_time ON community_questions (guild_id, asked_at)',
      `CREATE TABLE community_feedback (
        question_id text NOT NULL REFERENCES community_questions (id) ON DELETE CASCADE,
        doc_id text NOT NULL,
        start_offset integer,
        end_offset integer,
        verdict text NOT NULL,
        at bigint NOT NULL
      )`,
      'CREATE INDEX community_feedback_by_question ON community_feedback (question_id)',
      `CREATE TABLE community_hidden (
        guild_id text NOT NULL,
        kind text NOT NULL,
        value text NOT NULL,
        hidden_at bigint NOT NULL,
        PRIMARY KEY (guild_id, kind, value)
      )`,
    ],
  },
];

export const COMMUNITY_SCHEMA_VERSION = Math.max(...COMMUNITY_MIGRATIONS.map((migration) => migration.version));
