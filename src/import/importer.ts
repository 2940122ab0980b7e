import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { withoutCredentials } from '../core/urls.js';
import { listCorpusFiles } from '../corpus/files.js';
import type { ImportedArticle } from './article.js';
import { decodeHtml, decodeXml } from './charset.js';
import { formatBytes, ImportError } from './errors.js';
import { parseFeed } from './feed.js';
import { type FetchPolicy, fetchSafely } from './fetch.js';
import { articleFromHtml, type HtmlImportOptions } from './html.js';
import { readJsonl } from './jsonl.js';
import { shortHash } from './slug.js';
import { CorpusWriter, type WriteStatus } from './write.js';

export interface ImportSources {
  /** Saved web pages: .html/.htm files, or folders of them (their subfolders are kept). */
  html?: string[];
  /** Web pages to fetch. */
  urls?: string[];
  jsonl?: string[];
  /** RSS or Atom feeds; every item's page is fetched. */
  feeds?: string[];
}

export interface ImportOptions {
  /** The corpus folder the articles go into. */
  outDir: string;
  /** A subfolder of `outDir` for all of them ("bbc/2024"). */
  folder?: string;
  fetch: FetchPolicy;
  /** At most this many articles from each JSONL file and each feed. */
  limit?: number;
  /** Replace an article of the same URL or key even when it was imported from somewhere else. */
  replace?: boolean;
  /** Called as each source is done (progress). */
  onEntry?: (entry: ReportEntry) => void;
}

export type ReportEntry =
  | { source: string; status: WriteStatus; file: string; note?: string }
  | { source: string; status: 'skipped'; reason: string };

export interface ImportReport {
  entries: ReportEntry[];
}

const HTML_EXTENSIONS = ['.html', '.htm', '.xhtml'];
const HTML_TYPES = new Set(['', 'text/html', 'application/xhtml+xml']);

/**
 * Turn web pages, saved pages, JSONL exports and feeds into Markdown files with front matter in a
 * corpus folder. Each source that fails (even by breaking the importer) is reported with its named
 * reason and the others go on; nothing is written for a source that fails. Only a failing write (a
 * full disk) stops the run.
 */
export async function importSources(sources: ImportSources, options: ImportOptions): Promise<ImportReport> {
  const writer = new CorpusWriter(options.outDir);
  const entries: ReportEntry[] = [];
  const record = (entry: ReportEntry) => {
    entries.push(entry);
    options.onEntry?.(entry);
  };
  const skip = (source: string, error: unknown) => record({ source, status: 'skipped', reason: skipReason(error) });
  const attempt: Attempt = async (source, make) => {
    let made;
    try {
      made = await make();
    } catch (error) {
      skip(source, error);
      return;
    }
    try {
      const written = writer.write(made.article, { folder: joinFolders(options.folder, made.folder), replace: options.replace });
      record({ source, status: written.status, file: written.file, ...(written.note && { note: written.note }) });
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      skip(source, error);
    }
  };

  for (const input of sources.html ?? []) {
    let files: Array<{ file: string; folder: string }>;
    try {
      files = htmlFilesIn(input);
    } catch (error) {
      skip(input, error);
      continue;
    }
    for (const { file, folder } of files) {
      await attempt(file, async () => ({
        article: articleFromHtml(readLocalHtml(file, options.fetch.maxBytes), localOptions(file)),
        folder,
      }));
    }
  }
  // A URL as given may carry credentials: the report shows it without them (the fetch refuses it).
  for (const url of sources.urls ?? []) {
    await attempt(withoutCredentials(url), async () => ({ article: await fetchArticle(url, options.fetch) }));
  }
  for (const file of sources.jsonl ?? []) {
    try {
      for await (const entry of readJsonl(file, { limit: options.limit })) {
        const source = `${file}:${entry.line}`;
        if ('error' in entry) record({ source, status: 'skipped', reason: entry.error.message });
        else await attempt(source, async () => ({ article: entry.article }));
      }
    } catch (error) {
      skip(file, error);
    }
  }
  for (const feedUrl of sources.feeds ?? []) await importFeed(feedUrl, options, attempt, skip);
  return { entries };
}

/** Imports a source, or records why it was skipped. */
type Attempt = (source: string, make: () => Promise<{ article: ImportedArticle; folder?: string }>) => Promise<void>;

/** Every item of one RSS or Atom feed (up to `options.limit`), each fetched from its link. */
async function importFeed(
  feedUrl: string,
  options: ImportOptions,
  attempt: Attempt,
  skip: (source: string, error: unknown) => void,
): Promise<void> {
  let feed;
  try {
    const fetched = await fetchSafely(feedUrl, options.fetch);
    feed = parseFeed(decodeXml(fetched.body, fetched.charset, fetched.url), fetched.url);
  } catch (error) {
    skip(withoutCredentials(feedUrl), error);
    return;
  }
  for (const item of feed.items.slice(0, options.limit ?? feed.items.length)) {
    const source = withoutCredentials(item.link ?? `${feedUrl} item "${item.title ?? '?'}"`);
    await attempt(source, async () => {
      if (!item.link) throw new ImportError('bad-url', 'the feed item has no link to an article page');
      const fallback = { title: item.title, date: item.date, author: item.author, publisher: feed.title };
      return { article: await fetchArticle(item.link, options.fetch, fallback) };
    });
  }
}

/** The named reason a source was skipped; anything but an ImportError is a bug, named so and reported like the rest. */
function skipReason(error: unknown): string {
  if (error instanceof ImportError) return error.message;
  return new ImportError('internal-error', error instanceof Error ? error.message : String(error)).message;
}

/** Fetch a web page within the policy and read its article. */
export async function fetchArticle(url: string, policy: FetchPolicy, fallback?: HtmlImportOptions['fallback']): Promise<ImportedArticle> {
  const page = await fetchSafely(url, policy);
  if (!HTML_TYPES.has(page.contentType)) throw new ImportError('unsupported-type', `${page.url} is ${page.contentType}, not a web page`);
  return articleFromHtml(decodeHtml(page.body, page.charset, page.url), { url: page.url, fallback, label: page.url });
}

function htmlFilesIn(input: string): Array<{ file: string; folder: string }> {
  const stat = statSync(input, { throwIfNoEntry: false });
  if (!stat) throw new ImportError('unreadable', `${input}: no such file or folder`);
  if (!stat.isDirectory()) return [{ file: input, folder: '' }];
  return listCorpusFiles(input)
    .filter(({ relative }) => HTML_EXTENSIONS.includes(path.extname(relative).toLowerCase()))
    .map(({ relative, absolute }) => ({
      file: absolute,
      folder: path.posix.dirname(relative) === '.' ? '' : path.posix.dirname(relative),
    }));
}

function readLocalHtml(file: string, maxBytes: number): string {
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > maxBytes) throw new ImportError('too-large', `${file} is larger than ${formatBytes(maxBytes)}`);
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError('unreadable', `${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return decodeHtml(bytes, null, file);
}

/** A saved page is identified by where it is saved, unless it names its own URL; that place is its origin too. */
function localOptions(file: string): HtmlImportOptions {
  const resolved = path.resolve(file);
  return { label: file, sourceKey: `file:${shortHash(resolved, 16)}`, origin: `file:${path.basename(resolved)}#${shortHash(resolved, 8)}` };
}

function joinFolders(...parts: Array<string | undefined>): string {
  return parts.filter((part): part is string => Boolean(part)).join('/');
}
