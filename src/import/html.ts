import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { cleanParagraph, type ImportedArticle } from './article.js';
import { ImportError } from './errors.js';
import { type PageMeta, pageMetadata } from './html-meta.js';
import { sameOrigin } from './origin.js';
import { withoutTracking } from './slug.js';

export interface HtmlImportOptions {
  /**
   * The URL the page was fetched from: resolves a relative canonical link, and is the article's URL
   * (and origin) unless the page claims one on the same site.
   */
  url?: string;
  /** Where a page that was not fetched came from ("file:…", "upload:…"): its URL is what it claims. */
  origin?: string;
  /** What the source already knows (a feed item's title and date), used where the page says nothing. */
  fallback?: Partial<PageMeta>;
  /** Identifies a page that has no URL (a saved file). */
  sourceKey?: string;
  /** Name used in error messages (file name or URL). */
  label?: string;
}

/** Fewer characters than this is not an article (a login wall, an index page, a stub). */
const MIN_ARTICLE_CHARS = 200;
/** Elements whose text is a paragraph of its own. */
const BLOCK = new Set([
  'P',
  'DIV',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'DT',
  'DD',
  'TD',
  'TH',
  'SECTION',
  'ARTICLE',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
]);
const HEADING = /^H[1-6]$/;
/** Never article text. Captions describe pictures; they are not the article's words. */
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'BUTTON', 'FORM', 'FIGCAPTION', 'NAV', 'ASIDE', 'IFRAME']);
const BLOCK_SELECTOR = [...BLOCK].map((tag) => tag.toLowerCase()).join(',');

/**
 * An article from a web page: the main text found by Readability (Firefox Reader View), paragraphs
 * kept as paragraphs, and metadata from the page's JSON-LD, OpenGraph, meta tags and `<time>`.
 */
export function articleFromHtml(html: string, options: HtmlImportOptions = {}): ImportedArticle {
  const label = options.label ?? options.url ?? 'the page';
  if (html.includes('\u0000')) throw new ImportError('not-text', `${label} is not an HTML page (it contains binary data)`);
  const document = parsePage(html);
  // Metadata first: Readability rewrites the document as it works.
  const meta = pageMetadata(document, options.url);
  let parsed;
  try {
    parsed = new Readability(document, { serializer: (node: Node) => node }).parse();
  } catch (error) {
    throw new ImportError('no-article', `${label} could not be read as a web page (${(error as Error).message})`);
  }
  const content = parsed?.content as Element | null | undefined;
  const title = meta.title ?? options.fallback?.title ?? cleanParagraph(parsed?.title ?? '');
  const paragraphs = content ? paragraphsOf(content).filter((paragraph, i) => !(i === 0 && sameText(paragraph, title))) : [];
  const length = paragraphs.filter((p) => !p.startsWith('## ')).join(' ').length;
  if (length < MIN_ARTICLE_CHARS) {
    throw new ImportError(
      'no-article',
      `no article text found in ${label} (${length} characters of main text; at least ${MIN_ARTICLE_CHARS} needed)`,
    );
  }
  if (!title) throw new ImportError('no-article', `${label} has no title (no JSON-LD headline, og:title or <title>)`);
  return {
    title,
    publisher: meta.publisher ?? options.fallback?.publisher ?? cleanOrNull(parsed?.siteName),
    author: meta.author ?? options.fallback?.author ?? cleanOrNull(parsed?.byline?.replace(/^\s*by\s+/i, '')),
    date: meta.date ?? options.fallback?.date ?? null,
    paragraphs,
    sourceKey: options.sourceKey ?? null,
    ...whereFrom(meta.claimedUrls, options),
  };
}

/**
 * The article's URL and origin. A fetched page keeps a URL it claims only on the site it was fetched
 * from: any page can say it is https://gazette.example/…, and would then replace the gazette's
 * article and be credited to it. A saved page or an upload keeps its claim; the writer checks it
 * against what the corpus already holds.
 */
function whereFrom(claimed: string[], options: HtmlImportOptions): Pick<ImportedArticle, 'url' | 'origin' | 'note'> {
  if (!options.url)
    return { url: claimed[0] ?? options.fallback?.url ?? null, origin: options.origin ?? `page:${options.label ?? 'unknown'}` };
  const fetched = withoutTracking(options.url);
  const own = claimed.find((url) => sameOrigin(url, fetched));
  const foreign = claimed.find((url) => !sameOrigin(url, fetched));
  const note =
    !own && foreign
      ? `the page names ${foreign}, on another site: stored as its own article under the address it was fetched from`
      : undefined;
  return { url: own ?? fetched, origin: fetched, ...(note && { note }) };
}

/**
 * The page as a document with an <html> root, as a browser builds it: linkedom builds none around
 * plain text, a lone comment or a fragment, and Readability refuses a document without one.
 */
function parsePage(html: string): Document {
  const { document } = parseHTML(html);
  if (document.documentElement?.tagName === 'HTML') return document as unknown as Document;
  return parseHTML(`<!DOCTYPE html><html><head></head><body>${html}</body></html>`).document as unknown as Document;
}

/** The text of the main content, one entry per block; headings become "## …" (never quoted). */
function paragraphsOf(root: Element): string[] {
  const out: string[] = [];
  let inline = '';
  const flush = () => {
    const text = cleanParagraph(inline);
    if (text) out.push(text);
    inline = '';
  };
  const walk = (node: Element) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) {
        inline += child.textContent ?? '';
        continue;
      }
      if (child.nodeType !== 1) continue;
      const element = child as Element;
      if (SKIP.has(element.tagName)) continue;
      if (element.tagName === 'BR') {
        inline += ' ';
      } else if (BLOCK.has(element.tagName) || element.querySelector(BLOCK_SELECTOR)) {
        flush();
        if (element.querySelector(BLOCK_SELECTOR)) {
          walk(element);
        } else {
          inline = textOf(element);
          const text = cleanParagraph(inline);
          inline = '';
          if (text) out.push(HEADING.test(element.tagName) ? `## ${text}` : text);
        }
        flush();
      } else {
        inline += textOf(element);
      }
    }
  };
  walk(root);
  flush();
  return out;
}

/** Text of an element, with line breaks and skipped elements (scripts, captions) left out. */
function textOf(element: Element): string {
  let text = '';
  for (const child of Array.from(element.childNodes)) {
    if (child.nodeType === 3) text += child.textContent ?? '';
    else if (child.nodeType === 1) {
      const tag = (child as Element).tagName;
      if (tag === 'BR') text += ' ';
      else if (!SKIP.has(tag)) text += textOf(child as Element);
    }
  }
  return text;
}

function sameText(a: string, b: string): boolean {
  return a.replace(/^## /, '').toLowerCase() === b.toLowerCase();
}

function cleanOrNull(value: string | null | undefined): string | null {
  const text = cleanParagraph(value ?? '');
  return text || null;
}
