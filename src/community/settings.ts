/**
 * What a server's admins can set, per server and per channel, with the defaults a server starts
 * from. A channel's own value overrides the server's, which overrides the default.
 */

/** Where the bot answers: every channel, only the listed ones (allow list), or all but the listed ones (deny list). */
export type AnswerIn = 'all' | 'allow' | 'deny';

export interface Scope {
  folder?: string;
  publisher?: string;
  after?: string;
  before?: string;
}

export interface PlaceSettings {
  answerIn: AnswerIn;
  /** On the allow or deny list (channels only). */
  listed: boolean;
  /** Outside auto-answer channels, plain messages are ignored unless they mention the bot. */
  mentionNeeded: boolean;
  /** /ask and Find sources answer only the asker unless they say otherwise. */
  private: boolean;
  /** Quotes per answer. */
  results: number;
  /** Answer plain messages and new forum posts when confident, stay silent otherwise (channels only). */
  autoAnswer: boolean;
  /** How confident, in percent: the least first-quote `score` (chance that it holds the answer) auto-answer posts. */
  autoAnswerConfidence: number;
  /** What questions in a channel search by default (channels only). */
  scope: Scope;
  /** Stored questions and their feedback are deleted after this many days (server only). */
  retentionDays: number;
}

export const DEFAULT_SETTINGS: PlaceSettings = {
  answerIn: 'all',
  listed: false,
  mentionNeeded: true,
  private: true,
  results: 3,
  autoAnswer: false,
  autoAnswerConfidence: 50,
  scope: {},
  retentionDays: 90,
};

export const RESULTS_RANGE = { min: 1, max: 5 } as const;
export const RETENTION_RANGE = { min: 1, max: 3650 } as const;
export const CONFIDENCE_RANGE = { min: 1, max: 99 } as const;

/** Stored names (a row per name) and where each may be set. */
export const SETTING_LEVELS = {
  answer_in: 'server',
  retention_days: 'server',
  mention_needed: 'both',
  private: 'both',
  results: 'both',
  listed: 'channel',
  auto_answer: 'channel',
  auto_answer_confidence: 'both',
  folder: 'channel',
  publisher: 'channel',
  after: 'channel',
  before: 'channel',
} as const;

export type SettingName = keyof typeof SETTING_LEVELS;
export type SettingValue = string | number | boolean;
export type SettingOrigin = 'default' | 'server' | 'channel';

export function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(SETTING_LEVELS, name);
}

/** Stored rows of one place (server rows, then channel rows override) → effective settings, and where each came from. */
export function resolveSettings(
  serverRows: ReadonlyMap<SettingName, SettingValue>,
  channelRows: ReadonlyMap<SettingName, SettingValue>,
): { settings: PlaceSettings; origins: Map<SettingName, SettingOrigin> } {
  const origins = new Map<SettingName, SettingOrigin>();
  const pick = <T extends SettingValue>(name: SettingName, fallback: T): T => {
    for (const [rows, origin] of [
      [channelRows, 'channel'],
      [serverRows, 'server'],
    ] as const) {
      const value = rows.get(name);
      if (value !== undefined && typeof value === typeof fallback) {
        origins.set(name, origin);
        return value as T;
      }
    }
    origins.set(name, 'default');
    return fallback;
  };
  const scopeValue = (name: 'folder' | 'publisher' | 'after' | 'before') => {
    const value = pick<string>(name, '');
    return value === '' ? {} : { [name]: value };
  };
  const answerIn = pick<string>('answer_in', DEFAULT_SETTINGS.answerIn);
  const settings: PlaceSettings = {
    answerIn: answerIn === 'allow' || answerIn === 'deny' ? answerIn : 'all',
    listed: pick('listed', DEFAULT_SETTINGS.listed),
    mentionNeeded: pick('mention_needed', DEFAULT_SETTINGS.mentionNeeded),
    private: pick('private', DEFAULT_SETTINGS.private),
    results: pick('results', DEFAULT_SETTINGS.results),
    autoAnswer: pick('auto_answer', DEFAULT_SETTINGS.autoAnswer),
    autoAnswerConfidence: pick('auto_answer_confidence', DEFAULT_SETTINGS.autoAnswerConfidence),
    scope: { ...scopeValue('folder'), ...scopeValue('publisher'), ...scopeValue('after'), ...scopeValue('before') },
    retentionDays: pick('retention_days', DEFAULT_SETTINGS.retentionDays),
  };
  return { settings, origins };
}

/** Whether the bot answers in a channel with these settings. */
export function answersHere(settings: Pick<PlaceSettings, 'answerIn' | 'listed'>): boolean {
  if (settings.answerIn === 'allow') return settings.listed;
  if (settings.answerIn === 'deny') return !settings.listed;
  return true;
}
