/**
 * Copies of one story: the same agency text republished by several outlets, or an article re-posted
 * with a new headline or a paragraph more. Each document gets a MinHash signature of its words (made
 * at ingest, stored with the index); documents whose signatures estimate a Jaccard similarity of
 * their 5-word shingles of at least COPY_THRESHOLD are one group. Chosen over SimHash and over the
 * embeddings by measurement on planted copies (scripts/copies-eval.ts, docs/citations.md).
 */

import { fnv1a } from '../core/hash.js';

/** Words per shingle: long enough that two articles on one topic share few, short enough that an edit breaks few. */
export const SHINGLE_WORDS = 5;
/** Hash functions per signature; 16 bits of each are kept (b-bit MinHash: 256 bytes a document). */
export const SIGNATURE_HASHES = 128;
/** Locality-sensitive hashing: 32 bands of 4 values. Pairs at Jaccard 0.5 share a band 87% of the time, at 0.6 99%. */
const BANDS = 32;
const ROWS = SIGNATURE_HASHES / BANDS;
/** Estimated Jaccard at or above which two documents are copies (fitted in docs/citations.md). */
export const COPY_THRESHOLD = 0.5;

/** One seed per hash function, fixed so that signatures stored by one version compare with the next. */
const SEEDS = Uint32Array.from({ length: SIGNATURE_HASHES }, (_, i) => fmix32(0x9e3779b9 ^ Math.imul(i + 1, 0x85ebca6b)));

/** The words of a text as the signature sees them: lower case, letters and digits only. */
export function signatureWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A document's MinHash signature (base64 of SIGNATURE_HASHES 16-bit values), from the words of its body. */
export function copySignature(body: string): string {
  const words = signatureWords(body);
  const shingles = new Set<number>();
  const last = Math.max(1, words.length - SHINGLE_WORDS + 1);
  for (let i = 0; i < last; i++) shingles.add(fnv1a(words.slice(i, i + SHINGLE_WORDS).join(' ')));
  const mins = new Uint32Array(SIGNATURE_HASHES).fill(0xffffffff);
  for (const shingle of shingles) {
    for (let h = 0; h < SIGNATURE_HASHES; h++) {
      const value = fmix32(shingle ^ SEEDS[h]!);
      if (value < mins[h]!) mins[h] = value;
    }
  }
  const kept = Uint16Array.from(mins, (value) => value & 0xffff);
  return Buffer.from(kept.buffer).toString('base64');
}

function decode(signature: string): Uint16Array | null {
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.length !== SIGNATURE_HASHES * 2) return null;
  return new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

/** The share of equal values: an estimate of the two documents' shingle Jaccard similarity. */
export function estimatedJaccard(a: Uint16Array, b: Uint16Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/**
 * Groups of copies among documents (in the order given; documents without a valid signature are
 * alone): candidates share a band of their signatures, and are copies when their estimated
 * Jaccard reaches `threshold`. Copies of copies join one group. Only groups of two or more.
 */
export function groupCopies(documents: Iterable<{ id: string; signature?: string | null }>, threshold = COPY_THRESHOLD): string[][] {
  const ids: string[] = [];
  const signatures: Uint16Array[] = [];
  for (const { id, signature } of documents) {
    const decoded = signature ? decode(signature) : null;
    if (!decoded) continue;
    ids.push(id);
    signatures.push(decoded);
  }
  const parent = ids.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const checked = new Set<number>();
  for (let band = 0; band < BANDS; band++) {
    const buckets = new Map<string, number>();
    for (let d = 0; d < signatures.length; d++) {
      const rows = signatures[d]!.subarray(band * ROWS, (band + 1) * ROWS);
      const key = String.fromCharCode(...rows);
      const first = buckets.get(key);
      if (first === undefined) {
        buckets.set(key, d);
        continue;
      }
      // Each document is compared with the first of its bucket: enough to join a group, and linear.
      const pair = first * signatures.length + d;
      if (checked.has(pair) || root(first) === root(d)) continue;
      checked.add(pair);
      if (estimatedJaccard(signatures[first]!, signatures[d]!) >= threshold) parent[root(d)] = root(first);
    }
  }
  const groups = new Map<number, string[]>();
  ids.forEach((id, i) => {
    const r = root(i);
    const group = groups.get(r);
    if (group) group.push(id);
    else groups.set(r, [id]);
  });
  return [...groups.values()].filter((group) => group.length > 1);
}

/** MurmurHash3's finaliser: a fast, well-mixed 32-bit permutation. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
