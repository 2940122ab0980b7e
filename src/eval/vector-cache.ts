import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic.js';
import { sha256 } from '../corpus/document-file.js';
import { type ProgressCallback, type TextEmbedder, VECTOR_RECIPE } from '../embedding/embedder.js';

/**
 * Passage embeddings cached on disk, keyed by the texts' content and the model, so a benchmark
 * embeds a corpus once per model and never mixes with the bot's own index.
 */
export async function cachedPassageVectors(
  cacheDir: string,
  texts: string[],
  embedder: TextEmbedder,
  onProgress?: ProgressCallback,
): Promise<Float32Array> {
  const key = sha256(JSON.stringify([embedder.model, embedder.spec.passagePrefix, VECTOR_RECIPE, texts])).slice(0, 20);
  const file = path.join(cacheDir, `${embedder.model.replace(/\W+/g, '_')}-${key}.f32`);
  const expectedBytes = texts.length * embedder.dimension * 4;
  if (existsSync(file)) {
    const bytes = readFileSync(file);
    if (bytes.byteLength === expectedBytes)
      return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  const vectors = await embedder.embedPassages(texts, { onProgress });
  mkdirSync(cacheDir, { recursive: true });
  writeFileAtomic(file, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
  return vectors;
}
