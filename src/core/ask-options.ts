import { isIsoDate, missingDateReason } from './dates.js';
import { UserError } from './errors.js';
import type { AskOptions } from './types.js';

/** How many results a question gets when nobody says otherwise (CLI, /ask, mentions, Find sources). */
export const DEFAULT_RESULTS = 3;
/** The most results one question may ask for. */
export const MAX_RESULTS = 50;

type NamedOption = 'k' | 'after' | 'before';

/** How an adapter names an option in its messages: `--k` on the command line, `` `after` `` in Discord. */
export type OptionLabel = (option: NamedOption) => string;

/**
 * Checks the options a user gave and returns them tidied (publisher trimmed, blank filters dropped).
 * A mistake is a `UserError` whose message names the option as `label` calls it, so every adapter
 * shows it as its one line. Dates are inclusive: `after` equal to `before` means that single day.
 */
export function validateAskOptions(options: AskOptions, label: OptionLabel = (option) => option): AskOptions {
  const valid: AskOptions = {};
  if (options.k !== undefined) {
    if (!Number.isInteger(options.k) || options.k < 1 || options.k > MAX_RESULTS) {
      throw new UserError(`${label('k')} must be a whole number from 1 to ${MAX_RESULTS}`);
    }
    valid.k = options.k;
  }
  if (options.allowSameDocument !== undefined) valid.allowSameDocument = options.allowSameDocument;
  if (options.claim !== undefined) valid.claim = options.claim;
  const publisher = options.publisher?.trim();
  if (publisher) valid.publisher = publisher;
  const folder = options.folder?.trim().replace(/^\/+|\/+$/g, '');
  if (folder) valid.folder = folder;
  if (options.hiddenDocuments?.length) valid.hiddenDocuments = [...options.hiddenDocuments];
  if (options.hiddenPublishers?.length) valid.hiddenPublishers = [...options.hiddenPublishers];
  for (const option of ['after', 'before'] as const) {
    const value = options[option]?.trim();
    if (!value) continue;
    if (!isIsoDate(value)) {
      // Shaped like a date but not on the calendar: say so, rather than ask for the shape it already has.
      const missing = missingDateReason(value);
      throw new UserError(
        missing ? `${label(option)} ${value} does not exist: ${missing}` : `${label(option)} must be a date like 2023-04-20`,
      );
    }
    valid[option] = value;
  }
  if (valid.after && valid.before && valid.after > valid.before) {
    throw new UserError(`${label('after')} must not be later than ${label('before')}`);
  }
  return valid;
}
