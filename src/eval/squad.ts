import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import type { LoadedDocument } from '../corpus/corpus.js';
import { textDocument } from '../corpus/document-file.js';

/** One SQuAD question with its human answers (each an exact substring of the article). */
export interface QaQuestion {
  id: string;
  question: string;
  answers: string[];
  docId: string;
}

export interface QaArticle {
  document: LoadedDocument;
  questions: QaQuestion[];
  /** Which half it belongs to: weights are fitted on `tuning`, and `validation` is only measured. */
  part: 'tuning' | 'validation';
}

const squadSchema = z.object({
  data: z.array(
    z.object({
      title: z.string(),
      paragraphs: z.array(
        z.object({
          context: z.string(),
          qas: z.array(z.object({ id: z.string(), question: z.string(), answers: z.array(z.object({ text: z.string() })) })),
        }),
      ),
    }),
  ),
});

/**
 * Read a SQuAD v1.1 file. Each article becomes one document as a file would hold it: its title,
 * a blank line, then its paragraphs separated by blank lines. Articles alternate between the two
 * parts in file order (0, 2, 4, … tuning; 1, 3, 5, … validation), so both halves mix topics.
 */
export async function loadSquad(file: string): Promise<QaArticle[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UserError(`cannot read SQuAD file ${file}: ${(error as Error).message}`);
  }
  const parsed = squadSchema.safeParse(json);
  if (!parsed.success) throw new UserError(`${file} is not a SQuAD v1.1 file ({"data":[{"title","paragraphs":[{"context","qas"}]}]})`);
  return parsed.data.data.map((article, i) => {
    const title = article.title.replace(/_/g, ' ');
    const docId = `${String(i).padStart(2, '0')}-${article.title}`;
    const text = `${title}\n\n${article.paragraphs.map((p) => p.context.trim()).join('\n\n')}\n`;
    const document = textDocument(docId, title, text);
    const questions = article.paragraphs.flatMap((p) =>
      p.qas.map((qa) => ({ id: qa.id, question: qa.question, answers: [...new Set(qa.answers.map((a) => a.text))], docId })),
    );
    return { document, questions, part: i % 2 === 0 ? 'tuning' : 'validation' };
  });
}

/** Lower-cased, whitespace collapsed: how an answer and a quote are compared. */
export function normaliseForMatch(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** True when one of the gold answers occurs in the quote (case and whitespace normalised); a result without a quote holds none. */
export function containsAnswer(quote: string | null, answers: string[]): boolean {
  if (quote === null) return false;
  const haystack = normaliseForMatch(quote);
  return answers.some((answer) => haystack.includes(normaliseForMatch(answer)));
}

/** Every `stride`-th question, so `--sample N` is the same fixed subset on every run. */
export function fixedSample<T>(items: T[], size: number | undefined): T[] {
  if (!size || size >= items.length) return items;
  const stride = items.length / size;
  return Array.from({ length: size }, (_, i) => items[Math.floor(i * stride)]!);
}

/** SQuAD's token F1 between a predicted answer and a gold one (as its official script: lower-cased, ASCII punctuation and articles dropped). */
export function tokenF1(prediction: string, gold: string): number {
  const tokens = (text: string) =>
    text
      .toLowerCase()
      .replace(/[!-/:-@[-`{-~]/g, '')
      .replace(/\b(a|an|the)\b/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
  const predicted = tokens(prediction);
  const truth = tokens(gold);
  const left = new Map<string, number>();
  for (const t of truth) left.set(t, (left.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of predicted) {
    const n = left.get(t) ?? 0;
    if (n > 0) {
      common++;
      left.set(t, n - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / truth.length;
  return (2 * precision * recall) / (precision + recall);
}
