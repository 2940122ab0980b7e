/**
 * What each part of an answering process holds and costs to load, one part after another in one
 * process (docs/performance.md, "RSS answering"):
 *   node --expose-gc --import tsx scripts/memory-breakdown.ts CORPUS_DIR INDEX_DIR
 * (tsx's own memory is in the first line: about 40 MB more than the compiled code's).
 * Each line: the part, seconds to load it, and RSS, V8 heap and typed-array memory after it (after
 * a full garbage collection), with the growth since the line before.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadEngineModels } from '../src/backend/engine-parts.js';
import { configFromEnv } from '../src/cli/run.js';
import { Bm25Index } from '../src/index/bm25.js';
import { FILES, readManifest } from '../src/index/manifest.js';
import { loadIndex, readDocuments } from '../src/index/store.js';
import { readAligned } from '../src/index/vector-file.js';
import { readLocalCorpus } from '../src/local/engine.js';
import { localIndexView } from '../src/local/index-view.js';
import { modelOptions } from '../src/options.js';

const [corpusDir, indexDir, more = '0'] = process.argv.slice(2);
if (!corpusDir || !indexDir) throw new Error('usage: memory-breakdown CORPUS_DIR INDEX_DIR [QUESTIONS]');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

let last = { rss: 0, heap: 0, buffers: 0 };
let clock = performance.now();
function mark(part: string, collect = true): void {
  const seconds = (performance.now() - clock) / 1000;
  if (collect) {
    gc!();
    gc!();
  }
  const m = process.memoryUsage();
  const now = { rss: m.rss / 2 ** 20, heap: m.heapUsed / 2 ** 20, buffers: m.arrayBuffers / 2 ** 20 };
  const cell = (key: keyof typeof now) => `${now[key].toFixed(0)} (+${(now[key] - last[key]).toFixed(0)})`;
  process.stdout.write(
    `${part.padEnd(28)} ${seconds.toFixed(2)} s  rss ${cell('rss')}  heap ${cell('heap')}  typed arrays ${cell('buffers')} MB\n`,
  );
  last = now;
  clock = performance.now();
}

mark('node and the modules');
const options = { corpusDir, indexDir, ...modelOptions(configFromEnv()) };
const { answerer } = await loadEngineModels(options);
mark('models');
const corpus = readLocalCorpus(options);
mark(`corpus (${corpus.documents.length} documents)`);
const manifest = readManifest(indexDir)!;
const documents = readDocuments(indexDir, manifest);
mark('documents table');
const index = loadIndex(indexDir, 'current', { manifest, documents })!;
mark('graph, BM25, moments');
// BM25 again on its own, to tell it from the graph (dropped after).
const dir = path.join(indexDir, manifest.generation);
const copies: unknown[] = [FILES.chunkBm25, FILES.sentenceBm25].map(([header, data]) =>
  Bm25Index.fromBytes(readFileSync(path.join(dir, header), 'utf8'), readAligned(path.join(dir, data))),
);
mark('  of which BM25 (a 2nd copy)');
copies.length = 0;
mark('  (2nd copy dropped)');
const byId = new Map(corpus.documents.map((doc) => [doc.id, doc]));
const engine = answerer(localIndexView(index), byId);
const result = await engine.ask('What happened to oil prices?');
mark(`first answer (${result.results.length} results)`);
// QUESTIONS more (the titles of indexed articles as questions), measured before and after a garbage collection.
const titles = [...documents.values()].map((doc) => doc.title);
for (let i = 0; i < Number(more); i++) await engine.ask(`What happened: ${titles[(i * 7919) % titles.length]}?`);
if (Number(more) > 0) {
  mark(`${more} more questions`, false);
  mark('  after garbage collection');
}
