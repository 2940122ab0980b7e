/**
 * BM25 retrieval (exact words): an English tokenizer and a BM25 index over text passages.
 *
 * Scores follow Lucene's BM25 (the reference used by Anserini/Pyserini and BEIR):
 *   idf(t)      = ln(1 + (N - df + 0.5) / (df + 0.5))
 *   score(t, d) = idf(t) * tf / (tf + k1 * (1 - b + b * dl / avgdl))
 * summed over query terms (a term repeated in the query counts once per repetition).
 * Lucene dropped the classic (k1 + 1) factor: it is the same for every document, so
 * rankings are unchanged.
 */
import { tokenize } from '../text/terms.js';
import { blockBounds, blockMaxTopK, seek } from './bm25-top-k.js';
import { type ScoredPassage, topK } from './top-k.js';

export type { ScoredPassage };

export interface Bm25Params {
  /** Term-frequency saturation: higher lets repeated terms keep adding score. */
  k1: number;
  /** Length normalisation: 0 ignores passage length, 1 fully normalises by it. */
  b: number;
}

/** Passages containing one term, ascending, with the term's count in each; `at` is where they are stored. */
interface Postings {
  at: number;
  passages: Uint32Array;
  counts: Uint16Array;
}

const DEFAULT_PARAMS: Bm25Params = { k1: 0.9, b: 0.4 };

/** Terms with at least this many postings keep their block bounds once computed; a shorter list is quicker to scan again than to cache. */
const CACHED_BOUNDS_MIN_POSTINGS = 1024;

/** Builds a BM25 index one passage at a time (passages are numbered in the order they are added). */
export class Bm25Builder {
  private readonly growing = new Map<string, { passages: number[]; counts: number[] }>();
  private readonly lengths: number[] = [];
  private totalLength = 0;

  add(passage: string): void {
    const index = this.lengths.length;
    const terms = tokenize(passage);
    this.lengths.push(terms.length);
    this.totalLength += terms.length;
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, count] of counts) {
      let list = this.growing.get(term);
      if (!list) this.growing.set(term, (list = { passages: [], counts: [] }));
      list.passages.push(index); // ascending, since passages are added in order
      list.counts.push(count);
    }
  }

  finish(params: { k1?: number; b?: number } = {}): Bm25Index {
    let words = this.lengths.length;
    let postings = 0;
    for (const list of this.growing.values()) {
      words += 2 + list.passages.length;
      postings += list.passages.length;
    }
    const { words: table, counts } = postingsArrays(new ArrayBuffer(bytesFor(words, postings)), 0, words, postings);
    table.set(this.lengths, 0);
    const terms = new Map<string, number>();
    let at = this.lengths.length;
    let c = 0;
    for (const [term, list] of this.growing) {
      terms.set(term, at);
      table[at] = list.passages.length;
      table[at + 1] = c;
      table.set(list.passages, at + 2);
      // A term's count in one passage, saturated at 65,535 (tf / (tf + norm) is 1 to many digits long before).
      for (const count of list.counts) counts[c++] = Math.min(count, 0xffff);
      at += 2 + list.passages.length;
    }
    const avgdl = this.lengths.length > 0 ? this.totalLength / this.lengths.length : 0;
    return new Bm25Index(terms, table, counts, this.lengths.length, avgdl, {
      k1: params.k1 ?? DEFAULT_PARAMS.k1,
      b: params.b ?? DEFAULT_PARAMS.b,
    });
  }
}

/** Bytes of the stored postings: `words` uint32, then `postings` uint16 counts, padded to whole words. */
const bytesFor = (words: number, postings: number) => 4 * words + 4 * Math.ceil(postings / 2);

function postingsArrays(buffer: ArrayBufferLike, byteOffset: number, words: number, postings: number) {
  return { words: new Uint32Array(buffer, byteOffset, words), counts: new Uint16Array(buffer, byteOffset + 4 * words, postings) };
}

/**
 * Postings live in one buffer, laid out as stored: a uint32 array of every passage's length, then
 * per term its document frequency, where its counts start and its passages; then every count as a
 * uint16. Each term maps to where its postings start. At 330,000 sentences, a pair of typed-array
 * views per term held 20 MB more heap than these offsets, and uint32 counts 17 MB more memory.
 */
export class Bm25Index {
  /** k1 * (1 - b + b * dl / avgdl) per passage: the query-independent part of the BM25 denominator. */
  private readonly lengthNorm: Float64Array;
  /** Per long term (by where its postings start): its block bounds for `search` (bm25-top-k.ts), computed on first use. */
  private readonly blockBounds = new Map<number, Float64Array>();

  constructor(
    private readonly terms: Map<string, number>,
    private readonly words: Uint32Array,
    private readonly counts: Uint16Array,
    private readonly passages: number,
    private readonly avgdl: number,
    readonly params: Bm25Params,
  ) {
    const { k1, b } = params;
    this.lengthNorm = new Float64Array(passages);
    for (let d = 0; d < passages; d++) {
      // avgdl is 0 only when every passage is empty, and then no term ever matches.
      this.lengthNorm[d] = k1 * (1 - b + (avgdl > 0 ? (b * words[d]!) / avgdl : 0));
    }
  }

  /** A term's postings (views into the arrays), undefined for a term never seen. */
  private postings(term: string): Postings | undefined {
    const at = this.terms.get(term);
    if (at === undefined) return undefined;
    const df = this.words[at]!;
    const c = this.words[at + 1]!;
    return { at, passages: this.words.subarray(at + 2, at + 2 + df), counts: this.counts.subarray(c, c + df) };
  }

  static build(passages: string[], params: { k1?: number; b?: number } = {}): Bm25Index {
    const builder = new Bm25Builder();
    for (const passage of passages) builder.add(passage);
    return builder.finish(params);
  }

  /**
   * The index as bytes, to store with an index generation instead of re-tokenising every text at
   * start-up: a JSON header (terms in order, passage count, parameters) and the postings as uint32.
   */
  toBytes(): { header: string; data: Uint8Array } {
    const { words, counts, passages, avgdl, params } = this;
    return {
      header: JSON.stringify({ terms: [...this.terms.keys()], passages, words: words.length, postings: counts.length, avgdl, params }),
      data: new Uint8Array(words.buffer, words.byteOffset, bytesFor(words.length, counts.length)),
    };
  }

  /** The inverse of `toBytes` (the postings stay in `data`, nothing copied); throws on any inconsistency. */
  static fromBytes(header: string, data: Uint8Array): Bm25Index {
    const {
      terms,
      passages,
      words: wordCount,
      postings,
      avgdl,
      params,
    } = JSON.parse(header) as {
      terms: string[];
      passages: number;
      words: number;
      postings: number;
      avgdl: number;
      params: Bm25Params;
    };
    if (data.byteOffset % 4 !== 0) throw new Error('BM25 index bytes are not aligned');
    if (!Number.isInteger(wordCount) || !Number.isInteger(postings) || data.byteLength !== bytesFor(wordCount, postings))
      throw new Error(`BM25 index is truncated or has trailing bytes (${data.byteLength} bytes, its header says otherwise)`);
    const { words, counts } = postingsArrays(data.buffer, data.byteOffset, wordCount, postings);
    if (!(passages <= words.length)) throw new Error('BM25 index is truncated');
    const offsets = new Map<string, number>();
    let at = passages;
    let c = 0;
    for (const term of terms) {
      const df = words[at];
      if (df === undefined || words[at + 1] !== c || at + 2 + df > words.length) throw new Error('BM25 index is truncated');
      offsets.set(term, at);
      at += 2 + df;
      c += df;
    }
    if (at !== words.length || c !== postings) throw new Error('BM25 index has trailing bytes');
    return new Bm25Index(offsets, words, counts, passages, avgdl, params);
  }

  /** Number of indexed passages. */
  get size(): number {
    return this.passages;
  }

  /** Inverse document frequency of an index term (a term of `tokenize`); a term never seen gets the highest. */
  idf(term: string): number {
    return idfOf(this.size, this.postings(term)?.passages.length ?? 0);
  }

  /** BM25 score of every passage that shares a term with the query (all scores > 0). */
  scoreAll(query: string): Map<number, number> {
    const { scores, matched } = this.accumulate(query);
    return new Map(matched.map((index) => [index, scores[index]!]));
  }

  /**
   * The k best passages for the query, best first; ties go to the lower index. Exact, without
   * scoring every passage that matches (block-max WAND, bm25-top-k.ts): the same passages and
   * scores as `searchExhaustive`.
   */
  search(query: string, k: number, filter?: (passageIndex: number) => boolean): ScoredPassage[] {
    const terms = this.queryTerms(query).map(({ list, weight }) => ({ ...list, weight, blocks: this.boundsOf(list) }));
    return blockMaxTopK(terms, this.lengthNorm, k, filter);
  }

  /** `search` by scoring every passage that shares a term with the query: its reference in tests and benchmarks. */
  searchExhaustive(query: string, k: number, filter?: (passageIndex: number) => boolean): ScoredPassage[] {
    const { scores, matched } = this.accumulate(query);
    return topK(filter ? matched.filter(filter) : matched, scores, k);
  }

  /**
   * The scores of the given passages only (absent: no query term matched), each term's postings
   * searched forward (galloping, rows in ascending order): a question needs a few thousand rows'
   * scores, and scoring every row that shares a word with it filled a table of millions at a million chunks.
   */
  scoreRows(query: string, rows: Iterable<number>): Map<number, number> {
    const terms = this.queryTerms(query);
    const cursors = new Int32Array(terms.length);
    const scores = new Map<number, number>();
    for (const row of [...new Set(rows)].sort((a, b) => a - b)) {
      let score = 0;
      for (let t = 0; t < terms.length; t++) {
        const { list, weight } = terms[t]!;
        const at = (cursors[t] = seek(list.passages, cursors[t]!, row));
        if (list.passages[at] !== row) continue;
        const tf = list.counts[at]!;
        score += (weight * tf) / (tf + this.lengthNorm[row]!);
      }
      if (score > 0) scores.set(row, score);
    }
    return scores;
  }

  /** The query's known terms in the order first asked (the order every score is summed in), each with its weight: repeats × idf. */
  private queryTerms(query: string): Array<{ list: Postings; weight: number }> {
    const terms = [];
    for (const [term, repeats] of termCounts(query)) {
      const list = this.postings(term);
      if (list) terms.push({ list, weight: repeats * idfOf(this.size, list.passages.length) });
    }
    return terms;
  }

  /** A term's block bounds, kept for a long term (at 1M chunks all of them would take 1/8 byte a posting). */
  private boundsOf({ at, passages, counts }: Postings): Float64Array {
    let bounds = this.blockBounds.get(at);
    if (bounds) return bounds;
    bounds = blockBounds(passages, counts, this.lengthNorm);
    if (passages.length >= CACHED_BOUNDS_MIN_POSTINGS) this.blockBounds.set(at, bounds);
    return bounds;
  }

  /**
   * Term-at-a-time scoring into a dense array (much faster than a Map for thousands of
   * postings), plus the list of passages that matched at least one term.
   */
  private accumulate(query: string): { scores: Float64Array; matched: number[] } {
    const scores = new Float64Array(this.size);
    const matched: number[] = [];
    for (const { list, weight } of this.queryTerms(query)) {
      const df = list.passages.length;
      for (let i = 0; i < df; i++) {
        const passage = list.passages[i]!;
        const tf = list.counts[i]!;
        // Every contribution is > 0 (idf > 0, tf > 0), so 0 means "not seen yet".
        if (scores[passage] === 0) matched.push(passage);
        scores[passage]! += (weight * tf) / (tf + this.lengthNorm[passage]!);
      }
    }
    return { scores, matched };
  }
}

/** A query's terms with how often each is asked, in the order first asked. */
function termCounts(query: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of tokenize(query)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

function idfOf(passages: number, df: number): number {
  return Math.log(1 + (passages - df + 0.5) / (df + 0.5));
}
