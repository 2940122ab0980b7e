import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The quote reader committed with the project (models/quote-reader: see its README for how it was made). */
export const DEFAULT_READER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models/quote-reader');

/**
 * Per-model facts that are part of each model's contract: the wrong pooling or a missing
 * prefix silently costs quality (see ../shared/models/README.md for the measurements).
 */
export interface ModelSpec {
  pooling: 'mean' | 'cls';
  queryPrefix: string;
  passagePrefix: string;
  dimension: number;
  /** Default abstention threshold on a passage's relevance (this model's cosine, not the answer score), calibrated on in- vs off-topic questions. */
  minRelevance: number;
}

export const MODEL_SPECS: Record<string, ModelSpec> = {
  'Xenova/all-MiniLM-L6-v2': { pooling: 'mean', queryPrefix: '', passagePrefix: '', dimension: 384, minRelevance: 0.29 },
  'Xenova/bge-small-en-v1.5': {
    pooling: 'cls',
    queryPrefix: 'Represent this sentence for searching relevant passages: ',
    passagePrefix: '',
    dimension: 384,
    minRelevance: 0.53,
  },
  'Xenova/e5-small-v2': { pooling: 'mean', queryPrefix: 'query: ', passagePrefix: 'passage: ', dimension: 384, minRelevance: 0.8 },
};

export function modelSpec(model: string): ModelSpec {
  const spec = MODEL_SPECS[model];
  if (!spec) {
    throw new Error(`unknown embedding model "${model}"; known models: ${Object.keys(MODEL_SPECS).join(', ')}`);
  }
  return spec;
}
