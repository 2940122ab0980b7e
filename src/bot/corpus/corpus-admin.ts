import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Attachment } from 'discord.js';
import { ImportError, sizeAgainstLimit } from '../../import/errors.js';
import { fetchSafely } from '../../import/fetch.js';
import { fetchArticle } from '../../import/importer.js';
import { prepareArticle, prepareUpload, UPLOAD_EXTENSIONS, writePrepared } from '../../import/upload.js';
import { corpusStatus } from '../../local/status.js';
import { fetchPolicy } from '../../options.js';
import type { BotContext } from '../context.js';
import { findDocument } from '../input/choices.js';
import { renderCorpusAdded, renderCorpusRemoved, renderCorpusStatus } from '../render/corpus.js';
import { renderNotice } from '../render/notice.js';
import { code } from '../render/parts.js';
import type { MessagePayload } from '../sending/payload.js';

/** What `/corpus add|remove|status` do, for admins only (the command's `admin` precondition). */

/** With a shared PostgreSQL index, bots are readers: one ingest job owns the corpus (README, Scale-out). */
export const SHARED_INDEX_NOTICE =
  'Nothing was changed: this bot reads a shared index (INDEX_BACKEND=postgres), which only the ingest job updates. Add or remove the file in the corpus folder of the ingest machine and run `npm run ingest` there.';

/** Attachment types accepted as text (Discord reports what the uploader's client said). */
const TEXT_TYPE = /^(text\/[\w.+-]+|application\/xhtml\+xml)$/;

/**
 * `/corpus add`: a file or a web page becomes an article. Everything is checked (declared and real
 * size, type, UTF-8, an article with quotable sentences) before a file is written; then the engine
 * reloads, so the article is answerable when the reply arrives.
 */
export async function addToCorpus(
  context: BotContext,
  source: { attachment: Attachment | null; url: string | null; replace?: boolean },
): Promise<MessagePayload> {
  const { config } = context;
  if (config.INDEX_BACKEND === 'postgres') return renderNotice(SHARED_INDEX_NOTICE);
  const corpusDir = config.CORPUS_DIR;
  const policy = fetchPolicy(config);
  let prepared;
  if (source.attachment) {
    const attachment = source.attachment;
    checkAttachment(attachment, config.MAX_UPLOAD_BYTES);
    const fetched = await fetchSafely(attachment.url, { ...policy, maxBytes: config.MAX_UPLOAD_BYTES });
    prepared = prepareUpload(attachment.name, fetched.body, corpusDir, { charset: fetched.charset, replace: source.replace });
  } else {
    prepared = prepareArticle(await fetchArticle(source.url!, policy), corpusDir, { replace: source.replace });
  }
  writePrepared(corpusDir, prepared);
  await context.engineQueue.refresh();
  const document = context.engineQueue.getDocument(prepared.id);
  if (!document) {
    return renderNotice(
      `Saved as ${code(prepared.file)}, but the index could not be updated yet; it will be picked up on the next question or \`npm run ingest\`.`,
    );
  }
  return renderCorpusAdded(document, prepared.status, prepared.warning);
}

function checkAttachment(attachment: Attachment, maxBytes: number): void {
  const extension = path.extname(attachment.name).toLowerCase();
  if (!UPLOAD_EXTENSIONS.includes(extension)) {
    throw new ImportError('unsupported-type', `${attachment.name}: only ${UPLOAD_EXTENSIONS.join(', ')} files can be added`);
  }
  const type = (attachment.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type && !TEXT_TYPE.test(type)) throw new ImportError('unsupported-type', `${attachment.name} is ${type}, not a text file`);
  if (attachment.size > maxBytes)
    throw new ImportError('too-large', `${attachment.name} is ${sizeAgainstLimit(attachment.size, maxBytes)}`);
}

/** `/corpus remove`: deletes the article's file (only ever inside the corpus folder) and reloads. */
export async function removeFromCorpus(context: BotContext, wanted: string): Promise<MessagePayload> {
  if (context.config.INDEX_BACKEND === 'postgres') return renderNotice(SHARED_INDEX_NOTICE);
  await context.engineQueue.refresh();
  const meta = findDocument(context.engineQueue.documents(), wanted);
  const document = meta && context.engineQueue.getDocument(meta.id);
  if (!meta || !document) return renderNotice('No article matches that. Start typing a title and pick one of the suggestions.');
  const root = path.resolve(context.config.CORPUS_DIR);
  const relative = path.relative(root, path.resolve(document.path));
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    return renderNotice('That article is not in the corpus folder this bot manages, so I will not delete it.');
  }
  rmSync(path.join(root, relative), { force: true });
  await context.engineQueue.refresh();
  return renderCorpusRemoved(meta, context.engineQueue.documents().length);
}

/** `/corpus status`: what is on disk and in the index now. */
export async function describeCorpus(context: BotContext): Promise<MessagePayload> {
  await context.engineQueue.refresh();
  return renderCorpusStatus(corpusStatus(context.config.CORPUS_DIR, context.config.INDEX_DIR), context.engineQueue.documents().length);
}
