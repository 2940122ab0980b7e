import {
  CONFIDENCE_RANGE,
  RESULTS_RANGE,
  RETENTION_RANGE,
  type Scope,
  SETTING_LEVELS,
  type SettingName,
  type SettingValue,
} from '../../community/settings.js';
import { validateAskOptions } from '../../core/ask-options.js';
import { UserError } from '../../core/errors.js';
import type { DocumentMeta } from '../../core/types.js';
import { slashOptionLabel } from './slash-options.js';
import { filterDocuments } from './source-filter.js';

/** Typed in a scope option, it clears that part of the channel's scope. */
export const CLEAR_VALUE = 'none';

/** The options of `/settings server` and `/settings channel` as the user gave them (absent ones undefined). */
export type SettingInput = Partial<Record<SettingName, string | number | boolean>>;

/**
 * Checks what an admin typed and returns the values to store. A mistake is a `UserError` naming the
 * option, which the shared run shows as one line. Scope values are checked against the corpus, and
 * dates against the channel's other date, so a stored scope can always be searched.
 */
export function checkSettings(
  input: SettingInput,
  level: 'server' | 'channel',
  documents: readonly DocumentMeta[],
  current: Scope,
): Map<SettingName, SettingValue | null> {
  const values = new Map<SettingName, SettingValue | null>();
  for (const [name, raw] of Object.entries(input) as Array<[SettingName, string | number | boolean | undefined]>) {
    if (raw === undefined) continue;
    const where = SETTING_LEVELS[name];
    if (where !== 'both' && where !== level) throw new UserError(`\`${name}\` is set per ${where}, with /settings ${where}`);
    values.set(name, checkValue(name, raw, documents));
  }
  const after = values.has('after') ? values.get('after') : current.after;
  const before = values.has('before') ? values.get('before') : current.before;
  validateAskOptions(
    { after: typeof after === 'string' ? after : undefined, before: typeof before === 'string' ? before : undefined },
    slashOptionLabel,
  );
  return values;
}

/** One value, checked; null clears a scope value. */
function checkValue(name: SettingName, raw: string | number | boolean, documents: readonly DocumentMeta[]): SettingValue | null {
  switch (name) {
    case 'answer_in':
      if (raw === 'all' || raw === 'allow' || raw === 'deny') return raw;
      throw new UserError('`answer_in` must be all, allow (only listed channels) or deny (all but listed channels)');
    case 'results':
      return wholeNumber(name, raw, RESULTS_RANGE);
    case 'retention_days':
      return wholeNumber(name, raw, RETENTION_RANGE);
    case 'auto_answer_confidence':
      return wholeNumber(name, raw, CONFIDENCE_RANGE);
    case 'listed':
    case 'auto_answer':
    case 'mention_needed':
    case 'private':
      if (typeof raw !== 'boolean') throw new UserError(`\`${name}\` must be true or false`);
      return raw;
    case 'folder':
    case 'publisher': {
      const text = String(raw).trim();
      if (text.toLowerCase() === CLEAR_VALUE || text === '') return null;
      if (filterDocuments(documents, { [name]: text }).length === 0)
        throw new UserError(`no article is in the ${name} "${text}" (see /sources; type ${CLEAR_VALUE} to clear it)`);
      return name === 'folder' ? text.replace(/^\/+|\/+$/g, '') : text;
    }
    case 'after':
    case 'before': {
      const text = String(raw).trim();
      if (text.toLowerCase() === CLEAR_VALUE || text === '') return null;
      return validateAskOptions({ [name]: text }, slashOptionLabel)[name]!;
    }
  }
}

function wholeNumber(name: SettingName, raw: string | number | boolean, range: { min: number; max: number }): number {
  const value = typeof raw === 'number' ? raw : Number.NaN;
  if (!Number.isInteger(value) || value < range.min || value > range.max)
    throw new UserError(`\`${name}\` must be a whole number from ${range.min} to ${range.max}`);
  return value;
}
