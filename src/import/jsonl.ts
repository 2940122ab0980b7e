import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { normalizeDate } from '../core/dates.js';
import { plainHttpUrl } from '../core/urls.js';
import { cleanValue, type ImportedArticle, paragraphsOf } from './article.js';
import { ImportError } from './errors.js';

/** One line of a JSONL file: the article it holds, or why it was skipped. */
export type JsonlEntry = { line: number; article: ImportedArticle } | { line: number; error: ImportError };

const value = z.union([z.string(), z.number()]).nullish();
const lineSchema = z.object({
  title: value,
  text: z.string().nullish(),
  url: z.string().nullish(),
  date: z.string().nullish(),
  publisher: z.string().nullish(),
  author: z.union([z.string(), z.array(z.string())]).nullish(),
  id: value,
  _id: value,
});

/**
 * Articles from a JSON Lines file, one object per line with `title` and `text` and any of `url`,
 * `date`, `publisher`, `author` (and an `id` or `_id` that identifies it on re-import). Other fields
 * are ignored; a line that is not JSON or lacks a title or text is reported and the rest go on.
 * Read as a stream, so large exports do not sit in memory.
 */
export async function* readJsonl(file: string, options: { limit?: number } = {}): AsyncGenerator<JsonlEntry> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('ready', resolve);
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new ImportError('unreadable', `${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const name = path.basename(file);
  let line = 0;
  let articles = 0;
  try {
    for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
      line += 1;
      if (raw.trim() === '') continue;
      if (options.limit !== undefined && articles >= options.limit) break;
      const entry = parseLine(raw, line, name);
      if ('article' in entry) articles += 1;
      yield entry;
    }
  } catch (error) {
    // A folder, or a file that fails while it is read.
    throw new ImportError('unreadable', `${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  } finally {
    stream.destroy();
  }
}

export function parseLine(raw: string, line: number, fileName: string): JsonlEntry {
  const fail = (detail: string) => ({ line, error: new ImportError('bad-line', `${fileName} line ${line}: ${detail}`) });
  let json: unknown;
  try {
    json = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('not a JSON object');
  const parsed = lineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(`${issue.path.join('.')}: ${issue.message}`);
  }
  const fields = parsed.data;
  const title = cleanValue(fields.title);
  if (!title) return fail('no "title"');
  const paragraphs = paragraphsOf(fields.text ?? '');
  if (paragraphs[0]?.toLowerCase() === title.toLowerCase()) paragraphs.shift();
  if (paragraphs.length === 0) return fail('no "text"');
  const id = cleanValue(fields.id ?? fields._id);
  const url = cleanValue(fields.url);
  return {
    line,
    article: {
      title,
      paragraphs,
      url: url && /^https?:\/\//i.test(url) && plainHttpUrl(url) ? url : null,
      date: normalizeDate(fields.date),
      publisher: cleanValue(fields.publisher),
      author: Array.isArray(fields.author) ? cleanValue(fields.author.join(', ')) : cleanValue(fields.author),
      sourceKey: id ? `jsonl:${fileName}:${id}` : null,
      origin: `jsonl:${fileName}`,
    },
  };
}
