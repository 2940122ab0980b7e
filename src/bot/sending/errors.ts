/**
 * What is safe to log about an error. discord.js REST errors carry the request URL (interaction
 * webhooks put the interaction token in it) and the request body (users' questions), so only these
 * fields are kept.
 */
export function loggableError(error: unknown): { name: string; message: string; code?: unknown; status?: unknown; stack?: string } {
  if (!(error instanceof Error)) return { name: 'NonError', message: String(error) };
  const { code, status } = error as Error & { code?: unknown; status?: unknown };
  return { name: error.name, message: error.message, code, status, stack: error.stack };
}
