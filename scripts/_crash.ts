import { loadEmbedders } from '../src/embedding/embedder.js';
import { sentencesOf } from '../src/bench/embedding-throughput.js';
const e = await loadEmbedders({ model: 'Xenova/all-MiniLM-L6-v2', rerankModels: ['Xenova/bge-small-en-v1.5','Xenova/e5-small-v2'], modelsDir: '../shared/models', reader: null });
const texts = sentencesOf('/work/shared/datasets', 1000);
console.error('a', texts.length);
await e.primary.embedPassages(texts); console.error('b');
await e.rerankers[0]!.embedPassages(texts); console.error('c');
await e.rerankers[1]!.embedPassages(texts); console.error('d');
