/**
 * The answer marker's training data (train_marker.py trains it; not part of `npm run train:reader`
 * while no marker reaches the 80% token F1 that marking answers needs). For every question of a SQuAD v1.1 file, the sentence that holds its answer, as the
 * bot splits and reads it: the
 * article built as `loadSquad` builds it, its quotable sentences (src/text/prose.ts), the reader's
 * context before the sentence (src/search/reader-context.ts), and where the answer sits inside the
 * sentence (from SQuAD's `answer_start`, so a word the sentence holds twice is marked where the
 * crowd worker marked it). No first stage: the marker only learns where the answer is in a sentence
 * that holds it. One JSON line a question:
 *   {"id","question","text","context","answer","at"}   (`at`: the answer's offset inside `text`)
 *   npx tsx training/reader/spans.ts --file F --out OUT.jsonl
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSquad } from '../../src/eval/squad.js';
import { readerContext } from '../../src/search/reader-context.js';
import { quotableSentences } from '../../src/text/prose.js';

const { values } = parseArgs({ options: { file: { type: 'string' }, out: { type: 'string' } } });
if (!values.file || !values.out) throw new Error('--file and --out are required');

interface RawArticle {
  paragraphs: Array<{ context: string; qas: Array<{ id: string; answers: Array<{ text: string; answer_start: number }> }> }>;
}
const raw = (JSON.parse(readFileSync(values.file, 'utf8')) as { data: RawArticle[] }).data;
const articles = await loadSquad(values.file);
const out = createWriteStream(values.out);
let written = 0;
let missed = 0;
for (const [a, article] of articles.entries()) {
  const { text, title } = article.document;
  const sentences = quotableSentences(article.document);
  const questions = new Map(article.questions.map((q) => [q.id, q]));
  // Where each paragraph starts in the article's text: `loadSquad` joins the trimmed paragraphs after the title.
  let paragraphAt = title.length + 2;
  for (const p of raw[a]!.paragraphs) {
    const lead = p.context.length - p.context.trimStart().length;
    for (const qa of p.qas) {
      const gold = qa.answers[0]!;
      const start = paragraphAt + gold.answer_start - lead;
      const end = start + gold.text.length;
      const i = sentences.findIndex((s) => s.start <= start && end <= s.end);
      if (text.slice(start, end) !== gold.text || i < 0) {
        missed++; // an answer across a sentence boundary, or outside the quotable prose
        continue;
      }
      const s = sentences[i]!;
      const row = {
        id: qa.id,
        question: questions.get(qa.id)!.question,
        text: text.slice(s.start, s.end),
        context: readerContext(title, text, sentences, i),
        answer: gold.text,
        at: start - s.start,
      };
      out.write(`${JSON.stringify(row)}\n`);
      written++;
    }
    paragraphAt += p.context.trim().length + 2;
  }
}
await new Promise((resolve) => out.end(resolve));
console.log(JSON.stringify({ file: values.file, articles: articles.length, rows: written, skipped: missed }));
