/**
 * Failures to reach a server at all (refused, reset, timed out, unknown host), as opposed to an
 * answer the server gave: the same codes for the index database and for Discord's API.
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** The error's code when it is a failure to connect, else undefined. */
export function connectionErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && CONNECTION_CODES.has(code) ? code : undefined;
}

/** Why a connection failed, in a few words a user can act on: "connection refused", "unknown host", or the message's first line. */
export function connectionFailureReason(error: unknown): string {
  const code = connectionErrorCode(error);
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'unknown host';
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return (typeof message === 'string' ? message : String(error)).split('\n')[0]!;
}
