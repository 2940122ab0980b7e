import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bm25Index, type ScoredPassage } from '../../src/index/bm25.js';
import { blockBounds, blockMaxTopK, type QueryTerm, seek } from '../../src/index/bm25-top-k.js';
import { tokenize } from '../../src/text/terms.js';

/** BM25 from the tokens alone (Lucene's formula, k1 0.9, b 0.4), every passage scored, sorted whole. */
function bruteForce(passages: string[], query: string, k: number, filter?: (i: number) => boolean): ScoredPassage[] {
  const tokens = passages.map(tokenize);
  const avgdl = tokens.reduce((sum, t) => sum + t.length, 0) / Math.max(1, passages.length);
  const asked = new Map<string, number>();
  for (const term of tokenize(query)) asked.set(term, (asked.get(term) ?? 0) + 1);
  const df = new Map([...asked.keys()].map((term) => [term, tokens.filter((t) => t.includes(term)).length]));
  const scored: ScoredPassage[] = [];
  tokens.forEach((terms, index) => {
    let score = 0;
    for (const [term, repeats] of asked) {
      const tf = terms.filter((t) => t === term).length;
      if (tf === 0) continue;
      const weight = repeats * Math.log(1 + (passages.length - df.get(term)! + 0.5) / (df.get(term)! + 0.5));
      score += (weight * tf) / (tf + 0.9 * (1 - 0.4 + (0.4 * terms.length) / avgdl));
    }
    if (score > 0 && (!filter || filter(index))) scored.push({ index, score });
  });
  return scored.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, k);
}

/** The query's terms over `passages` as `Bm25Index` weighs them, with bounds per `block` postings. */
function postingsOf(passages: string[], query: string, block: number): { terms: QueryTerm[]; lengthNorm: Float64Array } {
  const tokens = passages.map(tokenize);
  const avgdl = tokens.reduce((sum, t) => sum + t.length, 0) / Math.max(1, passages.length);
  const lengthNorm = Float64Array.from(tokens, (t) => 0.9 * (1 - 0.4 + (0.4 * t.length) / avgdl));
  const asked = new Map<string, number>();
  for (const term of tokenize(query)) asked.set(term, (asked.get(term) ?? 0) + 1);
  const terms: QueryTerm[] = [];
  for (const [term, repeats] of asked) {
    const containing = tokens.flatMap((t, index) => (t.includes(term) ? [index] : []));
    if (containing.length === 0) continue;
    const list = Uint32Array.from(containing);
    const counts = Uint16Array.from(containing, (index) => tokens[index]!.filter((t) => t === term).length);
    const weight = repeats * Math.log(1 + (passages.length - list.length + 0.5) / (list.length + 0.5));
    terms.push({ passages: list, counts, weight, blocks: blockBounds(list, counts, lengthNorm, block) });
  }
  return { terms, lengthNorm };
}

// A skewed vocabulary: some words in most passages, some in few, so bounds differ and many scores
// tie; up to 600 passages, so that common words' postings span several blocks of bounds.
const word = fc.oneof(
  { arbitrary: fc.constantFrom('apple', 'river'), weight: 8 },
  { arbitrary: fc.constantFrom('stone', 'cloud', 'tiger'), weight: 3 },
  { arbitrary: fc.constantFrom('piano', 'mango'), weight: 1 },
);
const corpus = fc.array(
  fc.array(word, { maxLength: 12 }).map((words) => words.join(' ')),
  { maxLength: 600, size: 'max' },
);
// Query words repeat, and may be unknown to the corpus or stopwords.
const query = fc.array(fc.oneof(word, fc.constantFrom('zebra', 'the')), { maxLength: 7 }).map((words) => words.join(' '));
const filter = fc.option(fc.tuple(fc.integer({ min: 2, max: 5 }), fc.nat(4)));

describe('BM25 top k by MaxScore', () => {
  it('equals the brute-force top k, and the exhaustive search to the bit, with and without a filter', () => {
    fc.assert(
      fc.property(corpus, query, fc.nat(30), filter, (passages, question, k, modulo) => {
        const keep = modulo ? (i: number) => i % modulo[0] !== modulo[1] : undefined;
        const index = Bm25Index.build(passages);
        const found = index.search(question, k, keep);
        expect(found).toEqual(index.searchExhaustive(question, k, keep));
        const expected = bruteForce(passages, question, k, keep);
        expect(found.map((hit) => hit.index)).toEqual(expected.map((hit) => hit.index));
        found.forEach((hit, i) => expect(Math.abs(hit.score - expected[i]!.score)).toBeLessThanOrEqual(1e-12 * hit.score));
      }),
      { numRuns: 300 },
    );
  });

  it('skips blocks only where nothing in them can win, at any block size', () => {
    fc.assert(
      fc.property(corpus, query, fc.nat(30), filter, fc.integer({ min: 1, max: 9 }), (passages, question, k, modulo, block) => {
        const keep = modulo ? (i: number) => i % modulo[0] !== modulo[1] : undefined;
        const { terms, lengthNorm } = postingsOf(passages, question, block);
        const found = blockMaxTopK(terms, lengthNorm, k, keep, block);
        expect(found).toEqual(Bm25Index.build(passages).searchExhaustive(question, k, keep));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same results again once term bounds are cached', () => {
    // 2,000 passages, so the common words' postings are long enough to keep their bounds.
    const passages = Array.from({ length: 2000 }, (_, i) => `apple ${i % 3 ? 'river' : ''} ${i % 97 ? '' : 'tiger tiger'}`);
    const index = Bm25Index.build(passages);
    const first = index.search('tiger apple river', 20);
    expect(index.search('tiger apple river', 20)).toEqual(first);
    expect(first).toEqual(index.searchExhaustive('tiger apple river', 20));
  });

  it('looks at few of the passages that match a common word', () => {
    // Every passage has "apple"; 20 of the first 200 have "tiger". Once 10 are found, a passage
    // without "tiger" cannot enter the top 10, so only the other tiger passages are looked at.
    const passages = Array.from({ length: 5000 }, (_, i) => (i < 200 && i % 10 === 0 ? 'apple tiger' : `apple ${'river '.repeat(i % 4)}`));
    const index = Bm25Index.build(passages);
    let considered = 0;
    const top = index.search('apple tiger', 10, () => ++considered > 0);
    expect(top).toEqual(index.searchExhaustive('apple tiger', 10));
    expect(considered).toBeLessThan(150);
  });
});

describe('seek', () => {
  it('finds the first position at or after a start whose value is at least the target', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(200)), fc.nat(210), fc.nat(20), (values, target, from) => {
        const list = Uint32Array.from(values.sort((a, b) => a - b));
        const start = Math.min(from, list.length);
        let expected = start;
        while (expected < list.length && list[expected]! < target) expected++;
        expect(seek(list, start, target)).toBe(expected);
      }),
    );
  });
});
