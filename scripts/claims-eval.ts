/**
 * "Find sources" measured on SciFact's claims: each claim goes through `Answerer.ask` with the bot's
 * default settings (relevance threshold, relative cut, three results) over the bot's own index of
 * the abstracts, as a claim (`claim: true`, what Find sources asks) and as a question (the reader
 * judges it). Every claim has a relevant abstract in the corpus, so a refusal ("not covered") is a
 * miss. Each claim is then asked again with its relevant abstracts hidden: a claim the archive no
 * longer supports, whose refusal is right (though another abstract may still discuss it). Prints one
 * JSON line per split and way of asking.
 *   npx tsx scripts/claims-eval.ts [--beir ../shared/datasets/scifact] [--split train,test]
 * The train split chose how claims are asked; the test split is the number (docs/quality.md).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { loadEmbedders } from '../src/embedding/embedder.js';
import { modelSpec } from '../src/embedding/models.js';
import { beirDocuments, loadBeir } from '../src/eval/beir.js';
import { indexInCache, serveIndex } from '../src/eval/cached-index.js';
import { modelOptions } from '../src/options.js';
import { Answerer, DEFAULT_ANSWERER_SETTINGS } from '../src/search/answerer.js';

const { values } = parseArgs({
  options: {
    beir: { type: 'string', default: '../shared/datasets/scifact' },
    split: { type: 'string', default: 'train,test' },
    cache: { type: 'string', default: '.cache/eval' },
  },
});
const config = loadConfig();
const options = { ...modelOptions(config), cacheDir: values.cache };
const embedders = await loadEmbedders(options);
if (!embedders.reader) throw new Error('claims-eval compares asking with and without the quote reader: set QUOTE_READER');
const splits = await Promise.all(values.split.split(',').map(async (split) => ({ split, data: await loadBeir(values.beir, split) })));
// The same documents and cache as `npm run eval -- --beir DIR --mode bot`, so either builds the index once.
const { corpus, index } = await indexInCache(beirDocuments(splits[0]!.data.corpus), embedders, {
  dir: options.cacheDir,
  name: 'beir',
  folder: 'bot',
});
const served = await serveIndex(index, corpus, options);
const minRelevance = config.ANSWER_MIN_RELEVANCE ?? modelSpec(options.model).minRelevance;
const answerer = new Answerer(served.view, served.documents, embedders, { ...DEFAULT_ANSWERER_SETTINGS, minRelevance });

for (const { split, data } of splits) {
  for (const claim of [true, false]) {
    let refused = 0;
    let first = 0;
    let top3 = 0;
    let quoteChars = 0;
    let refusedHidden = 0;
    const started = performance.now();
    for (const query of data.queries) {
      const answer = await answerer.ask(query.text, { k: 3, claim });
      const relevant = data.qrels.get(query.id)!;
      if (!answer.answered) refused++;
      if (answer.results[0] && relevant.has(answer.results[0].docId)) first++;
      if (answer.results.some((result) => relevant.has(result.docId))) top3++;
      quoteChars += answer.results[0]?.quote?.length ?? 0;
      const hidden = await answerer.ask(query.text, { k: 3, claim, hiddenDocuments: [...relevant.keys()] });
      if (!hidden.answered) refusedHidden++;
    }
    const n = data.queries.length;
    const share = (count: number) => Number((count / n).toFixed(3));
    console.log(
      JSON.stringify({
        split,
        asked_as: claim ? 'claim' : 'question',
        claims: n,
        refused,
        relevant_first: share(first),
        relevant_in_top3: share(top3),
        mean_first_quote_chars: Math.round(quoteChars / Math.max(1, n - refused)),
        refused_with_sources_hidden: share(refusedHidden),
        ms_per_claim: Math.round((performance.now() - started) / (2 * n)),
      }),
    );
  }
}
