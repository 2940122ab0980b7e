import { DISCORD_LIMITS } from '../render/limits.js';

/**
 * Button custom ids are `namespace:part:part…`. The namespace names the component handler (a file in
 * components/); the parts are whatever that handler needs and must not contain the separator.
 */
const SEPARATOR = ':';

/** The namespace of each kind of button. Messages keep their buttons, so these never change. */
export const BUTTON_NAMESPACES = {
  feedback: 'feedback',
  searchPager: 'search',
  sourcesPager: 'sources',
  share: 'share',
} as const;

export function encodeCustomId(namespace: string, ...parts: Array<string | number>): string {
  const pieces = [namespace, ...parts.map(String)];
  if (pieces.some((piece) => piece.includes(SEPARATOR))) throw new Error(`custom id parts must not contain "${SEPARATOR}"`);
  const id = pieces.join(SEPARATOR);
  if (id.length > DISCORD_LIMITS.customId) throw new Error(`custom id longer than ${DISCORD_LIMITS.customId} characters`);
  return id;
}

export function decodeCustomId(id: string): { namespace: string; parts: string[] } {
  const [namespace = '', ...parts] = id.split(SEPARATOR);
  return { namespace, parts };
}

/** What a pager button points at. `role` only keeps the ids within one message distinct. */
export interface PageTarget {
  key: string;
  page: number;
}

export type PagerRole = 'prev' | 'at' | 'next';

export function pageButtonId(namespace: string, target: PageTarget, role: PagerRole): string {
  return encodeCustomId(namespace, target.key, target.page, role);
}

export function parsePageButton(parts: readonly string[]): PageTarget | undefined {
  const [key, page] = parts;
  if (!key || page === undefined || !/^\d+$/.test(page)) return undefined;
  return { key, page: Number(page) };
}
