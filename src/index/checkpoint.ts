/**
 * Resumable ingest: embedded documents are written to a checkpoint folder inside the index folder
 * in parts of a few hundred documents, so an ingest that is interrupted (killed, out of disk, a
 * reboot) continues where it stopped instead of re-embedding. A part is keyed by the index settings
 * and each document by its sha256 and title, so nothing stale is ever reused. The folder is removed
 * once a generation is published.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic.js';
import { concat } from '../core/vectors.js';
import type { LoadedDocument } from '../corpus/corpus.js';
import { modelSpec } from '../embedding/models.js';
import type { DocumentRows } from './generation-writer.js';
import { FORMAT_VERSION, type IndexedDocument, type IndexSettings } from './manifest.js';

const spanSchema = z.object({ start: z.number().int(), end: z.number().int() });
const partSchema = z.array(
  z.object({
    id: z.string(),
    doc: z.object({
      sha256: z.string(),
      title: z.string(),
      chunks: z.array(spanSchema.extend({ firstSentence: z.number().int(), lastSentence: z.number().int() })),
      sentences: z.array(spanSchema),
    }),
    /** Where this document's rows start in the part's .f32 file, in floats. */
    offset: z.number().int().nonnegative(),
  }),
);

export class IngestCheckpoint {
  private readonly dir: string;
  private readonly saved = new Map<string, { doc: IndexedDocument; file: string; offset: number }>();
  private parts = 0;

  constructor(
    indexDir: string,
    private readonly settings: IndexSettings,
  ) {
    const key = createHash('sha256').update(JSON.stringify({ FORMAT_VERSION, settings })).digest('hex').slice(0, 16);
    this.dir = path.join(indexDir, `checkpoint-${key}`);
    // Checkpoints of other settings can never be used again.
    if (existsSync(indexDir)) {
      for (const entry of readdirSync(indexDir)) {
        if (entry.startsWith('checkpoint-') && path.join(indexDir, entry) !== this.dir)
          rmSync(path.join(indexDir, entry), { recursive: true, force: true });
      }
    }
    if (!existsSync(this.dir)) return;
    for (const name of readdirSync(this.dir).filter((n) => n.endsWith('.json'))) {
      const parsed = partSchema.safeParse(safeJson(path.join(this.dir, name)));
      const vectors = path.join(this.dir, name.replace(/\.json$/, '.f32'));
      if (!parsed.success || !existsSync(vectors)) continue; // a damaged part is embedded again
      for (const entry of parsed.data) this.saved.set(entry.id, { doc: entry.doc, file: vectors, offset: entry.offset });
      this.parts++;
    }
  }

  /** The saved spans of a document, when it was embedded from exactly this content. */
  document(doc: LoadedDocument): IndexedDocument | null {
    const saved = this.saved.get(doc.id);
    return saved && saved.doc.sha256 === doc.sha256 && saved.doc.title === doc.title ? saved.doc : null;
  }

  /** The saved rows of a document, when it was embedded from exactly this content. */
  rows(doc: LoadedDocument): DocumentRows | null {
    const saved = this.saved.get(doc.id);
    if (!saved || !this.document(doc)) return null;
    const widths = this.widths();
    const { chunks, sentences } = { chunks: saved.doc.chunks.length, sentences: saved.doc.sentences.length };
    const floats = widths.reduce((sum, w) => sum + w * (chunks + sentences), 0);
    const all = new Float32Array(floats);
    const fd = openSync(saved.file, 'r');
    try {
      if (readSync(fd, new Uint8Array(all.buffer), 0, all.byteLength, saved.offset * 4) !== all.byteLength) return null;
    } finally {
      closeSync(fd);
    }
    let at = 0;
    const take = (width: number, count: number) => all.subarray(at, (at += width * count));
    const perModel = widths.map((w) => ({ chunks: take(w, chunks), sentences: take(w, sentences) }));
    return {
      doc: saved.doc,
      chunkVectors: perModel[0]!.chunks,
      sentenceVectors: perModel[0]!.sentences,
      rerankVectors: perModel.slice(1).map((m) => m.chunks),
      rerankSentenceVectors: perModel.slice(1).map((m) => m.sentences),
    };
  }

  /** Save one part: the rows of a batch of freshly embedded documents. */
  save(batch: Array<{ id: string; rows: DocumentRows }>): void {
    mkdirSync(this.dir, { recursive: true });
    const name = `part-${String(this.parts++).padStart(6, '0')}`;
    const entries: z.infer<typeof partSchema> = [];
    const tables: Float32Array[] = [];
    let offset = 0;
    for (const { id, rows } of batch) {
      entries.push({ id, doc: { ...rows.doc, chunks: [...rows.doc.chunks], sentences: [...rows.doc.sentences] }, offset });
      const perModel = [
        [rows.chunkVectors, rows.sentenceVectors],
        ...rows.rerankVectors.map((chunks, i) => [chunks, rows.rerankSentenceVectors[i]!]),
      ];
      for (const [chunks, sentences] of perModel) {
        tables.push(chunks!, sentences!);
        offset += chunks!.length + sentences!.length;
      }
    }
    const vectors = concat(tables);
    const file = path.join(this.dir, `${name}.f32`);
    // Vectors first: a part's .json exists only once its .f32 is complete.
    writeFileAtomic(file, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
    writeFileAtomic(path.join(this.dir, `${name}.json`), JSON.stringify(entries));
    for (const entry of entries) this.saved.set(entry.id, { doc: entry.doc, file, offset: entry.offset });
  }

  /** The generation is published: nothing here is needed any more. */
  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private widths(): number[] {
    return [this.settings.dimension, ...this.settings.rerankModels.map((model) => modelSpec(model).dimension)];
  }
}

function safeJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}
