import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/index/bm25.js';
import { tokenize } from '../../src/text/terms.js';

describe('tokenize', () => {
  it('lower-cases, drops stopwords and stems with Porter2', () => {
    expect(tokenize('The Studies were RUNNING generously')).toEqual(['studi', 'run', 'generous']);
  });

  it('folds accents and ligatures', () => {
    expect(tokenize('naïve café ﬁbre')).toEqual(tokenize('naive cafe fibre'));
  });

  it('splits on hyphens and punctuation, keeps digits and non-Latin letters', () => {
    expect(tokenize('IL-6 (COVID-19), α-synuclein!')).toEqual(['il', '6', 'covid', '19', 'α', 'synuclein']);
  });

  it('handles possessives and typographic apostrophes alike', () => {
    expect(tokenize("patient's")).toEqual(['patient']);
    expect(tokenize('patient’s')).toEqual(['patient']);
  });

  it('keeps negations, which claims hinge on', () => {
    expect(tokenize('does not cause')).toEqual(['not', 'caus']);
  });
});

describe('Bm25Index', () => {
  // Lengths after tokenizing: 3, 2, 1 terms → avgdl = 2.
  const passages = ['cat cat dog', 'dog bird', 'fish'];
  const index = Bm25Index.build(passages);

  it('scores with Lucene BM25 (k1 0.9, b 0.4)', () => {
    // "cat": N = 3, df = 1 → idf = ln(1 + 2.5 / 1.5) = ln(8/3).
    // Passage 0: tf = 2, dl = 3 → tf / (tf + 0.9 * (0.6 + 0.4 * 3/2)) = 2 / 3.08.
    const [hit] = index.search('cat', 10);
    expect(hit?.index).toBe(0);
    expect(hit?.score).toBeCloseTo((Math.log(8 / 3) * 2) / 3.08, 10);
  });

  it('ranks best first and returns only passages that match', () => {
    const hits = index.search('dog bird', 10);
    expect(hits.map((hit) => hit.index)).toEqual([1, 0]);
    expect(hits.every((hit) => hit.score > 0)).toBe(true);
    expect(index.search('unicorn', 10)).toEqual([]);
    expect(index.search('', 10)).toEqual([]);
  });

  it('honours k and the filter', () => {
    expect(index.search('dog', 1).map((hit) => hit.index)).toEqual([1]);
    expect(index.search('dog', 10, (i) => i !== 1).map((hit) => hit.index)).toEqual([0]);
  });

  it('breaks ties by the lower passage index', () => {
    const twins = Bm25Index.build(['red apple', 'green pear', 'red apple', 'red apple']);
    expect(twins.search('apple', 2).map((hit) => hit.index)).toEqual([0, 2]);
  });

  it('selects the same top k as a full sort', () => {
    // 300 passages with varying subsets of five words and varying lengths: many ties, many matches.
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const large = Bm25Index.build(
      Array.from({ length: 300 }, (_, i) => {
        const present = words.filter((_, w) => (i * (w + 3)) % 7 < 3);
        return `${present.join(' ')}${' filler'.repeat(i % 5)}`;
      }),
    );
    const all = [...large.scoreAll('alpha gamma epsilon')].sort(([i, x], [j, y]) => y - x || i - j).map(([i]) => i);
    expect(large.search('alpha gamma epsilon', 25).map((hit) => hit.index)).toEqual(all.slice(0, 25));
  });

  it('counts a repeated query term once per repetition', () => {
    const once = index.search('cat', 1)[0]!.score;
    expect(index.search('cat cat', 1)[0]!.score).toBeCloseTo(2 * once, 10);
  });

  it('scoreAll gives every matching passage the score search gives it', () => {
    const scores = index.scoreAll('dog fish');
    expect([...scores.keys()].sort()).toEqual([0, 1, 2]);
    for (const hit of index.search('dog fish', 10)) expect(scores.get(hit.index)).toBe(hit.score);
  });

  it('uses its parameters: with b = 0 passage length does not matter', () => {
    const flat = Bm25Index.build(['dog', 'dog with many other words around it'], { b: 0 });
    const [first, second] = flat.search('dog', 2);
    expect(flat.params).toEqual({ k1: 0.9, b: 0 });
    expect(first!.score).toBe(second!.score);
  });

  it('scores any rows, in any order and repeated, exactly as scoring every match does', () => {
    const all = index.scoreAll('dog fish');
    const rows = index.scoreRows('dog fish', [2, 0, 1, 2, 0]);
    expect([...rows].sort(([i], [j]) => i - j)).toEqual([...all].sort(([i], [j]) => i - j));
    const [best] = index.search('dog fish', 1);
    expect(index.scoreRows('dog fish', [best!.index]).get(best!.index)).toBe(best!.score);
    expect(index.scoreRows('cat', [1, 2]).size).toBe(0);
  });

  it('handles an empty corpus', () => {
    const empty = Bm25Index.build([]);
    expect(empty.size).toBe(0);
    expect(empty.search('anything', 5)).toEqual([]);
  });
});

describe('a stored BM25 index', () => {
  it('scores exactly like the one it was saved from, and refuses truncated bytes', () => {
    const passages = ['Cuba shipped raw sugar to Russia.', 'Wheat arrived in Havana by ship.', 'Sugar prices rose in Havana.', ''];
    const built = Bm25Index.build(passages);
    const { header, data } = built.toBytes();
    const loaded = Bm25Index.fromBytes(header, data);
    for (const query of ['sugar Havana', 'ship wheat', 'nothing here']) {
      expect([...loaded.scoreAll(query)]).toEqual([...built.scoreAll(query)]);
      expect(loaded.search(query, 2)).toEqual(built.search(query, 2));
    }
    expect(() => Bm25Index.fromBytes(header, data.subarray(0, data.byteLength - 4))).toThrow(/truncated|trailing/);
  });
});
