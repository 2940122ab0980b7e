/** One article on its way into the corpus, whatever it came from (web page, feed item, JSONL line, upload). */
export interface ImportedArticle {
  title: string;
  publisher: string | null;
  author: string | null;
  /** YYYY-MM-DD */
  date: string | null;
  url: string | null;
  /** The article's text, one paragraph per entry; section headings start with "## ". */
  paragraphs: string[];
  /** Identifies an article without a URL, so re-importing it replaces it: "jsonl:articles.jsonl:42". */
  sourceKey: string | null;
  /** Where it really came from (src/import/origin.ts): the URL it was fetched from, "file:…", "jsonl:…", "upload:…". */
  origin: string;
  /** What the report should say about where it was stored (a claimed URL on another host). */
  note?: string;
}

/** Whitespace inside a paragraph collapsed, so no sentence is cut by a stray line break. */
export function cleanParagraph(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** Plain text (an export's `text` field, a .txt upload) as paragraphs: one per non-empty line. */
export function paragraphsOf(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map(cleanParagraph)
    .filter((line) => line !== '');
}

/** A metadata value as one clean line, or null when there is nothing in it. */
export function cleanValue(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = cleanParagraph(String(value));
  return text === '' ? null : text;
}
