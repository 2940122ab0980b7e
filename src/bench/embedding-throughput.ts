import { readFileSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline } from '@xenova/transformers';
import { loadEmbedders } from '../embedding/embedder.js';
import { quotableSentences } from '../text/prose.js';
import { flopPerToken } from './cpu.js';
import { readNews } from './news-corpus.js';

export type ModelOptions = { model: string; rerankModels: string[]; modelsDir?: string; reader?: string | null };

/** The first `count` quotable sentences of the news dataset. */
export function sentencesOf(datasets: string, count: number): string[] {
  const texts: string[] = [];
  for (const article of readNews(datasets)) {
    const text = `${article.title}\n\n${article.text}\n`;
    for (const s of quotableSentences({ text, title: article.title })) texts.push(text.slice(s.start, s.end));
    if (texts.length >= count) break;
  }
  return texts.slice(0, count);
}

/**
 * The embedding step of the default ingest against the plain transformers.js pipeline (batch 16),
 * on the same news sentences with the same (primary) model, plus the whole default configuration
 * (every model) in chunks per second.
 */
export async function embeddingThroughput(datasets: string, models: ModelOptions, count: number, peak: number) {
  const texts = sentencesOf(datasets, count);
  const embedders = await loadEmbedders({ ...models, reader: null });
  const primary = embedders.primary;
  const tokens = primary.countTokens(texts.map((t) => primary.spec.passagePrefix + t)).reduce((a, b) => a + b, 0);
  await primary.embedPassages(texts.slice(0, 256)); // warm up (and start the worker threads of batch jobs)
  let started = performance.now();
  await primary.embedPassages(texts);
  const oursSeconds = (performance.now() - started) / 1000;

  env.localModelPath = path.resolve(models.modelsDir ?? '') + path.sep;
  const extractor = await pipeline('feature-extraction', primary.model, { quantized: true });
  const prefixed = texts.map((t) => primary.spec.passagePrefix + t);
  await extractor(prefixed.slice(0, 16), { pooling: primary.spec.pooling, normalize: true });
  started = performance.now();
  for (let i = 0; i < prefixed.length; i += 16)
    await extractor(prefixed.slice(i, i + 16), { pooling: primary.spec.pooling, normalize: true });
  const baselineSeconds = (performance.now() - started) / 1000;

  const modelConfig = JSON.parse(readFileSync(path.resolve(models.modelsDir ?? '', primary.model, 'config.json'), 'utf8'));
  const flop = flopPerToken(modelConfig, tokens / texts.length);
  const tokensPerSecond = tokens / oursSeconds;
  return {
    embed_texts: texts.length,
    embed_mean_tokens: Number((tokens / texts.length).toFixed(1)),
    embed_tokens_per_s: Math.round(tokensPerSecond),
    baseline_tokens_per_s: Math.round(tokens / baselineSeconds),
    speedup_over_baseline: Number((baselineSeconds / oursSeconds).toFixed(2)),
    flop_per_token: Math.round(flop),
    achieved_gops: Number(((tokensPerSecond * flop) / 1e9).toFixed(1)),
    peak_int8_gops: Number((peak / 1e9).toFixed(1)),
    peak_flops_ratio: Number(((tokensPerSecond * flop) / peak).toFixed(3)),
  };
}
