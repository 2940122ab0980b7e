/**
 * A corpus of real news for benchmarks: BBC News, Reuters-21578 and AG News (../shared/datasets),
 * written as one file per article until the articles hold at least `chunks` chunks. Beyond the
 * ~31,000 articles of the three sets, articles repeat with a numbered title (said in the output).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fnv1a } from '../core/hash.js';
import { chunkSentences, DEFAULT_CHUNKER } from '../text/chunker.js';
import { quotableSentences } from '../text/prose.js';

export const NEWS_SETS = ['bbc-news', 'reuters-21578', 'ag-news-test'];

interface Article {
  title: string;
  text: string;
}

export function readNews(datasetsDir: string): Article[] {
  const articles: Article[] = [];
  for (const set of NEWS_SETS) {
    const file = path.join(datasetsDir, set, 'articles.jsonl');
    if (!existsSync(file)) throw new Error(`missing ${file}: the benchmark reads real news from ../shared/datasets`);
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const { title, text } = JSON.parse(line) as { title?: string; text?: string };
      if (title && text && text.trim().length > 40) articles.push({ title: title.trim(), text: text.trim() });
    }
  }
  // Interleave the sets, so every size mixes long BBC and Reuters pieces with short AG News ones.
  return articles.sort((a, b) => fnv1a(a.title + a.text) - fnv1a(b.title + b.text));
}

/** Write articles into `dir` until they make at least `chunks` chunks; returns the files written and their chunks. */
export function writeNewsCorpus(articles: Article[], dir: string, chunks: number): { files: number; chunks: number; repeated: boolean } {
  mkdirSync(dir, { recursive: true });
  let total = 0;
  let files = 0;
  let repeated = false;
  for (let round = 1; total < chunks; round++) {
    for (const article of articles) {
      if (total >= chunks) break;
      const title = round === 1 ? article.title : `${article.title} (${round})`;
      repeated ||= round > 1;
      const text = `${title}\n\n${article.text}\n`;
      total += chunkSentences(quotableSentences({ text, title }), DEFAULT_CHUNKER).length;
      writeFileSync(path.join(dir, `news-${String(files++).padStart(6, '0')}.txt`), text);
    }
  }
  return { files, chunks: total, repeated };
}

/** Questions made from titles of the corpus (content barely changes the cost of a question). */
export function newsQuestions(articles: Article[], count: number): string[] {
  return articles.slice(0, count).map((a) => `What happened: ${a.title.toLowerCase()}?`);
}

/** FNV-1a: a fixed, fast order and choice, the same on every machine. */
export { fnv1a };
