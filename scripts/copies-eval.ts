/**
 * How well are copies of one story found? A set built from the news of ../shared/datasets (BBC News
 * and Reuters-21578 stories of 80 words or more; AG News items are one or two sentences, too short to
 * syndicate): every article once, plus planted copies of some of them, each edited as outlets edit
 * agency copy: a new headline, a paragraph added at the end, the last paragraphs cut, a dateline and
 * a few words changed, the lead paragraph replaced. Grouping methods are scored on the pairs they
 * put together: precision and recall against the planted groups, and the pairs found among the
 * originals (the datasets hold copies of their own: a few are printed to be judged). Prints JSON.
 *   npx tsx scripts/copies-eval.ts [--originals 6000] [--planted 600] [--embeddings 400]
 * (--embeddings N: also the primary model's document vectors on the first N planted groups and as
 * many other articles; slow, so off by default.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { fnv1a } from '../src/core/hash.js';
import { COPY_THRESHOLD, copySignature, groupCopies, signatureWords } from '../src/corpus/copies.js';
import { Embedder } from '../src/embedding/embedder.js';

const { values } = parseArgs({
  options: {
    originals: { type: 'string', default: '6000' },
    planted: { type: 'string', default: '600' },
    embeddings: { type: 'string', default: '0' },
  },
});
const DATASETS = path.resolve('../shared/datasets');

interface Doc {
  id: string;
  title: string;
  text: string;
  /** The planted group (the original's id), or null for an article without planted copies. */
  story: string | null;
}

/** A small deterministic generator, so every run builds the same set. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return ((state ^ (state >>> 13)) >>> 0) / 2 ** 32;
  };
}
const rand = random(25);
const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;

function readSet(set: string): Array<{ id: string; title: string; text: string }> {
  return readFileSync(path.join(DATASETS, set, 'articles.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { _id: string; title?: string; text?: string })
    .filter((a) => a.title && a.text && a.text.split(/\s+/).length >= 80)
    .map((a) => ({ id: `${set}/${a._id}`, title: a.title!, text: a.text! }));
}

const paragraphs = (text: string) => text.split(/\n\s*\n/).filter((p) => p.trim());
const SWAPS: Array<[RegExp, string]> = [
  [/\bsaid\b/g, 'told reporters'],
  [/\bpercent\b/g, 'pct'],
  [/\bcompany\b/g, 'firm'],
  [/\bGovernment\b/gi, 'administration'],
  [/\balso\b/g, 'additionally'],
];

/** The edits outlets make to agency copy. */
const EDITS: Record<string, (text: string, other: string) => string> = {
  headline: (text) => text, // the body is unchanged; only the title differs
  'added-paragraph': (text, other) => `${text}\n\n${paragraphs(other)[0]}\n\nThis story was first published by a news agency.`,
  'cut-ending': (text) =>
    paragraphs(text)
      .slice(0, Math.max(1, Math.ceil(paragraphs(text).length * 0.7)))
      .join('\n\n'),
  'dateline-and-words': (text) => SWAPS.reduce((t, [pattern, to]) => t.replace(pattern, to), `LONDON (Wire) - ${text}`),
  'new-lead': (text, other) => [paragraphs(other)[0], ...paragraphs(text).slice(1)].join('\n\n'),
};

function buildSet(originalCount: number, plantedCount: number): { docs: Doc[]; edits: Map<string, string> } {
  const all = [...readSet('bbc-news'), ...readSet('reuters-21578')].sort((a, b) => fnv1a(a.id) - fnv1a(b.id)).slice(0, originalCount);
  const docs: Doc[] = all.map((a) => ({ ...a, story: null }));
  const edits = new Map<string, string>();
  for (const original of docs.slice(0, plantedCount)) {
    original.story = original.id;
    const copies = 1 + Math.floor(rand() * 3);
    for (let c = 0; c < copies; c++) {
      const edit = pick(Object.keys(EDITS));
      const id = `${original.id}~copy${c}`;
      docs.push({
        id,
        title: edit === 'headline' ? `UPDATE: ${original.title}` : original.title,
        text: EDITS[edit]!(original.text, pick(all).text),
        story: original.id,
      });
      edits.set(id, edit);
    }
  }
  return { docs, edits };
}

/** Pairs inside groups, as "a|b" with a < b. */
function pairsOf(groups: string[][]): Set<string> {
  const pairs = new Set<string>();
  for (const group of groups)
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) pairs.add([group[i], group[j]].sort().join('|'));
  return pairs;
}

function score(name: string, docs: Doc[], groups: string[][], seconds: number, edits: Map<string, string>) {
  const story = new Map(docs.map((d) => [d.id, d.story]));
  const truth = pairsOf(
    [
      ...groupBy(
        docs.filter((d) => d.story),
        (d) => d.story!,
      ).values(),
    ].map((g) => g.map((d) => d.id)),
  );
  const found = pairsOf(groups);
  let right = 0;
  const amongOriginals: string[] = [];
  let viaOwnCopies = 0;
  let wrong = 0;
  const original = (id: string) => story.get(id) ?? id;
  for (const pair of found) {
    const [a, b] = pair.split('|') as [string, string];
    if (truth.has(pair)) right++;
    else if (story.get(a) === null && story.get(b) === null) amongOriginals.push(pair);
    // A copy paired with an article its original is a copy of (the datasets' own re-posts).
    else if (found.has([original(a), original(b)].sort().join('|'))) viaOwnCopies++;
    else wrong++;
  }
  // Recall per kind of edit: the copy found with its original.
  const byEdit: Record<string, { planted: number; found: number }> = {};
  for (const [id, edit] of edits) {
    const entry = (byEdit[edit] ??= { planted: 0, found: 0 });
    entry.planted++;
    if (found.has([id, id.split('~')[0]!].sort().join('|'))) entry.found++;
  }
  return {
    method: name,
    precision: round(right / Math.max(1, right + wrong)),
    pairsViaTheDatasetsOwnCopies: viaOwnCopies,
    recall: round(right / truth.size),
    pairsFound: found.size,
    pairsAmongOriginals: amongOriginals.length,
    examplesAmongOriginals: amongOriginals.slice(0, 20),
    recallByEdit: Object.fromEntries(Object.entries(byEdit).map(([edit, { planted, found: f }]) => [edit, round(f / planted)])),
    cpuSeconds: round(seconds),
  };
}

/** Map.groupBy (Node 22) for Node 20. */
function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** SimHash of the same shingles, for comparison: 64 bits, copies within `distance` bits. Pairs found by four 16-bit blocks (pigeonhole). */
function simhashGroups(docs: Doc[], distance: number): string[][] {
  const hashes = docs.map((d) => {
    const words = signatureWords(d.text);
    const weights = new Float64Array(64);
    for (let i = 0; i + 5 <= Math.max(5, words.length); i++) {
      const shingle = words.slice(i, i + 5).join(' ');
      const [lo, hi] = [fnv1a(shingle), fnv1a(`#${shingle}`)];
      for (let b = 0; b < 64; b++) weights[b]! += ((b < 32 ? lo >>> b : hi >>> (b - 32)) & 1) === 1 ? 1 : -1;
    }
    return BigInt.asUintN(
      64,
      weights.reduce((acc, w, b) => (w > 0 ? acc | (1n << BigInt(b)) : acc), 0n),
    );
  });
  const popcount = (x: bigint) => x.toString(2).replace(/0/g, '').length;
  const pairs: string[][] = [];
  const seen = new Set<string>();
  for (let block = 0; block < 4; block++) {
    const buckets = groupBy(
      docs.map((_, i) => i),
      (i) => Number((hashes[i]! >> BigInt(block * 16)) & 0xffffn),
    );
    for (const members of buckets.values()) {
      for (let x = 0; x < members.length; x++) {
        for (let y = x + 1; y < members.length; y++) {
          const [i, j] = [members[x]!, members[y]!];
          const key = `${i}|${j}`;
          if (seen.has(key)) continue;
          seen.add(key);
          if (popcount(hashes[i]! ^ hashes[j]!) <= distance) pairs.push([docs[i]!.id, docs[j]!.id]);
        }
      }
    }
  }
  return pairs;
}

/** The primary model's vector of each document's opening (its first 256 tokens), copies above `threshold` cosine. */
async function embeddingGroups(docs: Doc[], thresholds: number[]): Promise<{ groups: Map<number, string[][]>; seconds: number }> {
  const config = loadConfig({ MODELS_DIR: process.env.MODELS_DIR ?? '../shared/models' });
  const embedder = await Embedder.load({ model: config.EMBEDDING_MODEL, modelsDir: config.MODELS_DIR, threads: 1 });
  const started = cpu();
  const vectors = await embedder.embedPassages(docs.map((d) => d.text.slice(0, 1500)));
  const seconds = cpu(started);
  const dim = embedder.dimension;
  const groups = new Map<number, string[][]>(thresholds.map((t) => [t, []]));
  for (let i = 0; i < docs.length; i++) {
    for (let j = i + 1; j < docs.length; j++) {
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += vectors[i * dim + k]! * vectors[j * dim + k]!;
      for (const t of thresholds) if (dot >= t) groups.get(t)!.push([docs[i]!.id, docs[j]!.id]);
    }
  }
  return { groups, seconds };
}

const { docs, edits } = buildSet(Number(values.originals), Number(values.planted));
const results: unknown[] = [];
/** CPU seconds of this process since `from` (the machine is shared: wall time says little). */
const cpu = (from = 0) => process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 - from;
let started = cpu();
const signed = docs.map((d) => ({ id: d.id, signature: copySignature(d.text) }));
const signing = cpu(started);
for (const threshold of [0.3, 0.4, COPY_THRESHOLD, 0.6, 0.7]) {
  started = cpu();
  const groups = groupCopies(signed, threshold);
  results.push({ ...score(`minhash J>=${threshold}`, docs, groups, cpu(started), edits), signingCpuSeconds: round(signing) });
}
for (const distance of [3, 6, 10]) {
  started = cpu();
  const groups = simhashGroups(docs, distance);
  results.push(score(`simhash d<=${distance}`, docs, groups, cpu(started), edits));
}
const embedded = Number(values.embeddings);
if (embedded > 0) {
  // The first planted groups and as many articles without copies (embedding everything takes long).
  const planted = new Set(
    docs
      .filter((d) => d.story)
      .map((d) => d.story!)
      .slice(0, embedded),
  );
  const subset = [...docs.filter((d) => d.story && planted.has(d.story)), ...docs.filter((d) => !d.story).slice(0, embedded)];
  const thresholds = [0.8, 0.9, 0.95];
  const { groups, seconds } = await embeddingGroups(subset, thresholds);
  const subsetEdits = new Map([...edits].filter(([id]) => subset.some((d) => d.id === id)));
  for (const t of thresholds)
    results.push({ ...score(`embeddings cos>=${t}`, subset, groups.get(t)!, seconds, subsetEdits), documents: subset.length });
  const minhashOnSubset = groupCopies(subset.map((d) => ({ id: d.id, signature: copySignature(d.text) })));
  results.push({
    ...score(`minhash J>=${COPY_THRESHOLD} (same subset)`, subset, minhashOnSubset, 0, subsetEdits),
    documents: subset.length,
  });
}
console.log(JSON.stringify({ documents: docs.length, plantedCopies: edits.size, results }, null, 1));
