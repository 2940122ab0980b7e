import { UserError } from '../core/errors.js';

/** Why a source could not be imported. Each is named in the message, so a report line says what went wrong. */
export type ImportErrorCode =
  | 'bad-url'
  | 'blocked-address'
  | 'unresolvable-host'
  | 'network'
  | 'timeout'
  | 'too-large'
  | 'too-many-redirects'
  | 'http-status'
  | 'unsupported-type'
  | 'not-text'
  | 'bad-charset'
  | 'no-article'
  | 'not-xml'
  | 'not-a-feed'
  | 'bad-line'
  | 'duplicate-id'
  /** The corpus already holds this URL (or key) from another origin: replacing it needs --replace. */
  | 'other-origin'
  | 'unreadable'
  /** A source that broke the importer itself: reported like the others, so one page never stops a run. */
  | 'internal-error';

/** A source that cannot be imported: a user's situation (bad page, blocked address), never a bug. */
export class ImportError extends UserError {
  override name = 'ImportError';

  constructor(
    readonly code: ImportErrorCode,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/**
 * "5 MB; the limit is 2 MB", with exact byte counts when rounding would show the two as the same
 * ("4,097 bytes; the limit is 4,096 bytes (4 KB)"): the byte that matters is never rounded away.
 */
export function sizeAgainstLimit(size: number, limit: number): string {
  const [shown, shownLimit] = [formatBytes(size), formatBytes(limit)];
  if (shown !== shownLimit) return `${shown}; the limit is ${shownLimit}`;
  return `${size.toLocaleString('en-US')} bytes; the limit is ${limit.toLocaleString('en-US')} bytes (${shownLimit})`;
}

/** Bytes as people read them: 5 MB, 512 KB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}
