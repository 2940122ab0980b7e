/**
 * The quote reader: a cross-encoder trained for this job (training/reader/, model card in
 * models/quote-reader/README.md). It reads the question together with one candidate sentence and what
 * comes before it (the title and the previous sentence, src/search/reader-context.ts),
 * `[CLS] question [SEP] context [SEP] sentence [SEP]`, and gives
 *   - a score (a logit): how likely this sentence answers the question, comparable across questions;
 *   - start and end logits over the sentence's tokens: where the answer sits inside it.
 * Bi-encoder cosines measure topic; the reader was trained to tell the sentence that answers from
 * the sentences about the same subject (and from other articles the first stage ranked high).
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { BertTokenizer } from '@xenova/transformers';
import ort from 'onnxruntime-node';
import { UserError } from '../core/errors.js';
import { DEFAULT_READER_DIR } from './models.js';
import { arenaOptions } from './session-options.js';

export interface ReaderVerdict {
  /** Logit that the sentence answers the question. */
  score: number;
  /** The most likely answer inside the sentence, as offsets into the sentence (exclusive end). */
  answer: { start: number; end: number; logit: number } | null;
}

interface ReaderConfig {
  /** Most tokens of question + context + sentence (the sentence is truncated beyond it). */
  max_length: number;
  /** Most tokens of context read before the sentence (absent or 0: a model trained without context). */
  max_context_tokens?: number;
  /** Longest answer span, in tokens. */
  max_answer_tokens: number;
  /**
   * The answer marker's folder, relative to this one: a model of the same inputs that marks answers
   * better than this one's span head (training/reader/train_marker.py). Absent: nothing is marked.
   */
  answer_marker?: string;
}

const CLS = 101;
/** Two where the machine has two cores (see `load`). */
export const READER_THREADS = Math.min(2, availableParallelism());
const SEP = 102;

export class QuoteReader {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly tokenizer: BertTokenizer,
    private readonly session: ort.InferenceSession,
    private readonly config: ReaderConfig,
    private readonly vocab: string[],
    /** Reads only the quoted sentences, for `mark`. */
    private readonly marker: QuoteReader | null,
  ) {}

  /**
   * `threads`: ONNX Runtime threads. Unlike the embedders' single short texts, the reader's batches
   * (six rows of up to 128 tokens) gain from a second thread: 12 sentences took 102 ms on one here, 58 on two.
   */
  static async load(dir = DEFAULT_READER_DIR, threads = READER_THREADS, memoryArena = true, isMarker = false): Promise<QuoteReader> {
    const onnxFile = path.join(dir, 'onnx', 'model_quantized.onnx');
    const what = isMarker ? 'answer marker' : 'quote reader';
    if (!existsSync(onnxFile))
      throw new UserError(
        isMarker
          ? `answer marker not found: looked for ${onnxFile}; train it with training/reader/train_marker.py, or remove answer_marker from the reader's config.json`
          : `quote reader not found: looked for ${onnxFile}; run npm run train:reader, or restore models/quote-reader from git`,
      );
    let config: ReaderConfig;
    let model: [BertTokenizer, ort.InferenceSession, ReaderConfig, string[]];
    try {
      const json = JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
      const tokenizerConfig = JSON.parse(readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8'));
      config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as ReaderConfig;
      const session = await ort.InferenceSession.create(onnxFile, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: threads,
        ...arenaOptions(memoryArena),
      });
      const vocab: string[] = [];
      for (const [token, id] of Object.entries(json.model.vocab as Record<string, number>)) vocab[id] = token;
      model = [new BertTokenizer(json, tokenizerConfig), session, config, vocab];
    } catch (error) {
      throw new UserError(`could not load the ${what} from ${dir}: ${(error as Error).message}`);
    }
    // A marker is read for its span alone: any marker its own config names is not loaded.
    const marker =
      config.answer_marker && !isMarker
        ? await QuoteReader.load(path.resolve(dir, config.answer_marker), threads, memoryArena, true)
        : null;
    return new QuoteReader(...model, marker);
  }

  /** Whether `mark` marks anything (the reader's config names an answer marker). */
  get marks(): boolean {
    return this.marker !== null;
  }

  /**
   * Where the answer marker places the answer in each sentence (offsets into it; null where it
   * places none), reading `contexts[i]` before sentence i as the reader does. Only the quoted
   * sentences are marked: one to five rows, not the twelve the reader reads.
   */
  async mark(question: string, sentences: string[], contexts: string[] = []): Promise<Array<{ start: number; end: number } | null>> {
    if (!this.marker) return sentences.map(() => null);
    const verdicts = await this.marker.queued(question, sentences, contexts);
    return verdicts.map(({ answer }) => (answer ? { start: answer.start, end: answer.end } : null));
  }

  /**
   * One verdict per sentence, in order; `contexts[i]` is what the reader reads before sentence i
   * (readerContext). Calls are serialised (one shared session).
   */
  read(question: string, sentences: string[], contexts: string[] = []): Promise<ReaderVerdict[]> {
    return this.queued(question, sentences, contexts);
  }

  /** The one serialised way into the model: `read`, and `mark` through the marker (marking is not reading). */
  private queued(question: string, sentences: string[], contexts: string[]): Promise<ReaderVerdict[]> {
    if (sentences.length === 0) return Promise.resolve([]);
    const result = this.queue.then(() => this.forward(question, sentences, contexts));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private ids(text: string): number[] {
    return this.tokenizer.encode(text, null, { add_special_tokens: false });
  }

  private async forward(question: string, sentences: string[], contexts: string[]): Promise<ReaderVerdict[]> {
    const max = this.config.max_length;
    const contextTokens = this.config.max_context_tokens ?? 0;
    // The question keeps at most half the budget (questions are short; a 2,000-character one is not).
    const q = this.ids(question).slice(0, Math.floor(max / 2));
    const rows = sentences.map((sentence, i) => {
      const c = contextTokens > 0 && contexts[i] ? this.ids(contexts[i]).slice(0, contextTokens) : [];
      const head = [CLS, ...q, SEP, ...(c.length > 0 ? [...c, SEP] : [])];
      const s = this.ids(sentence).slice(0, Math.max(1, max - head.length - 1));
      return { ids: [...head, ...s, SEP], first: head.length, count: s.length };
    });
    // Rows of like length run together, at most READ_BATCH at a time: less padding, and two runs
    // of six on two threads took 49 ms for twelve sentences where one run of twelve took 59.
    const order = rows.map((_, b) => b).sort((a, b) => rows[a]!.ids.length - rows[b]!.ids.length || a - b);
    const outputs: Array<{ score: number; starts: Float32Array; ends: Float32Array }> = [];
    for (let from = 0; from < order.length; from += READ_BATCH) {
      const part = order.slice(from, from + READ_BATCH);
      const run = await this.run(part.map((b) => rows[b]!));
      part.forEach((b, k) => (outputs[b] = run[k]!));
    }
    return rows.map((row, b) => {
      const { score, starts, ends } = outputs[b]!;
      const span = bestSpan(
        starts.subarray(row.first, row.first + row.count),
        ends.subarray(row.first, row.first + row.count),
        this.config.max_answer_tokens,
      );
      const offsets =
        span &&
        tokenOffsets(
          sentences[b]!,
          row.ids.slice(row.first, row.first + row.count).map((id) => this.vocab[id] ?? '[UNK]'),
        );
      const answer =
        span && offsets?.[span.first] && offsets[span.last]
          ? { start: offsets[span.first]!.start, end: offsets[span.last]!.end, logit: span.logit }
          : null;
      return { score, answer };
    });
  }

  /** One forward pass over `rows`, padded to the longest: each row's score and its start and end logits. */
  private async run(rows: Array<{ ids: number[]; first: number }>) {
    const width = Math.max(...rows.map((r) => r.ids.length));
    const n = rows.length;
    const ids = new BigInt64Array(n * width);
    const mask = new BigInt64Array(n * width);
    const types = new BigInt64Array(n * width);
    rows.forEach((row, b) => {
      row.ids.forEach((id, t) => {
        ids[b * width + t] = BigInt(id);
        mask[b * width + t] = 1n;
        if (t >= row.first) types[b * width + t] = 1n;
      });
    });
    const dims = [n, width];
    const out = await this.session.run({
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
      token_type_ids: new ort.Tensor('int64', types, dims),
    });
    // The answer marker has no score output: its rows' scores are NaN and never read.
    const score = (out.score?.data as Float32Array | undefined) ?? new Float32Array(n).fill(Number.NaN);
    const starts = out.start_logits!.data as Float32Array;
    const ends = out.end_logits!.data as Float32Array;
    return rows.map((_, b) => ({
      score: score[b]!,
      starts: starts.subarray(b * width, (b + 1) * width),
      ends: ends.subarray(b * width, (b + 1) * width),
    }));
  }
}

/** Most sentences in one forward pass (see `forward`). */
const READ_BATCH = 6;

/** The best span (start ≤ end, at most `maxTokens` long) by summed start and end logits. */
export function bestSpan(
  starts: Float32Array,
  ends: Float32Array,
  maxTokens: number,
): { first: number; last: number; logit: number } | null {
  let best: { first: number; last: number; logit: number } | null = null;
  for (let i = 0; i < starts.length; i++) {
    for (let j = i; j < Math.min(ends.length, i + maxTokens); j++) {
      const logit = starts[i]! + ends[j]!;
      if (!best || logit > best.logit) best = { first: i, last: j, logit };
    }
  }
  return best;
}

/**
 * Where each WordPiece token of `text` sits in it (null for a token that cannot be placed, such as
 * [UNK]). BERT's tokenizer lower-cases and strips accents, so the text is compared in the same form,
 * one original character at a time (a character's folded form may be empty: a combining accent).
 */
export function tokenOffsets(text: string, tokens: string[]): Array<{ start: number; end: number } | null> {
  const folded: string[] = [];
  for (const ch of text) {
    const f = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    folded.push(f);
    if (ch.length === 2) folded.push(''); // keep indices in UTF-16 units: the second half of a pair
  }
  const out: Array<{ start: number; end: number } | null> = [];
  const blank = (i: number) => /^\s*$/.test(folded[i]!);
  let at = 0;
  for (const token of tokens) {
    const continues = token.startsWith('##');
    const piece = continues ? token.slice(2) : token;
    if (!continues) while (at < folded.length && blank(at)) at++;
    const start = at;
    let i = at;
    let matched = '';
    while (i < folded.length && matched.length < piece.length) matched += folded[i++]!;
    if (matched !== piece) {
      out.push(null); // [UNK], or a character the tokenizer dropped: skip to the end of the word
      while (at < folded.length && !/^\s$/.test(folded[at]!)) at++;
      continue;
    }
    out.push({ start, end: i });
    at = i;
  }
  return out;
}
