import type { HiddenKind } from '../../community/store.js';
import { UserError } from '../../core/errors.js';
import type { BotContext } from '../context.js';
import { findDocument } from '../input/choices.js';
import { escapeSourceText } from '../render/markdown.js';
import { renderNotice } from '../render/notice.js';
import { code } from '../render/parts.js';
import type { MessagePayload } from '../sending/payload.js';

/**
 * `/corpus hide` and `unhide`: keeps an article, or every article of a publisher, out of this server's
 * answers (and "closest articles") without touching the files; other servers are not affected.
 */
export async function setHidden(
  context: BotContext,
  guildId: string,
  target: { document: string | null; publisher: string | null },
  hide: boolean,
): Promise<MessagePayload> {
  if (Boolean(target.document) === Boolean(target.publisher)) throw new UserError('give either a `document` or a `publisher`, not both');
  const documents = context.engineQueue.documents();
  let kind: HiddenKind;
  let value: string;
  if (target.document) {
    const doc = findDocument(documents, target.document);
    if (!doc && hide) throw new UserError(`no article matches "${target.document}"; pick one from the list`);
    kind = 'document';
    value = doc?.id ?? target.document.trim();
  } else {
    const wanted = target.publisher!.trim().toLowerCase();
    const publisher = documents.map((doc) => doc.publisher).find((name) => name?.toLowerCase() === wanted);
    if (!publisher && hide) throw new UserError(`no article has the publisher "${target.publisher}"; pick one from the list`);
    kind = 'publisher';
    value = publisher ?? target.publisher!.trim();
  }
  const changed = hide ? (await context.community.hide(guildId, kind, value), true) : await context.community.unhide(guildId, kind, value);
  const hidden = await context.community.hidden(guildId);
  const what = kind === 'document' ? code(value) : `the publisher ${escapeSourceText(value)}`;
  const head = hide
    ? `Hidden: ${what} stays out of answers in this server (the files are untouched).`
    : changed
      ? `Unhidden: ${what} can be quoted again.`
      : `${what} was not hidden.`;
  const list = [...hidden.documents.map(code), ...hidden.publishers.map((name) => `publisher ${escapeSourceText(name)}`)];
  return renderNotice(`${head}\nHidden now: ${list.length > 0 ? list.join(', ') : 'nothing'}.`);
}
