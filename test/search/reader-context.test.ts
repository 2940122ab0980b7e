import { describe, expect, it } from 'vitest';
import { readerContext } from '../../src/search/reader-context.js';
import { quotableSentences } from '../../src/text/prose.js';

describe('readerContext', () => {
  const title = 'Lavrov visits Havana';
  const text = `${title}\n\nRussian Foreign Minister Sergei Lavrov arrived in Cuba on Monday. He met President Raul Castro. The talks lasted two hours.\n`;
  const sentences = quotableSentences({ text, title });
  const sentence = (i: number) => text.slice(sentences[i]!.start, sentences[i]!.end);

  it('reads the title and the sentence before, so a pronoun is read knowing who it is', () => {
    expect(sentence(1)).toBe('He met President Raul Castro.');
    expect(readerContext(title, text, sentences, 1)).toBe(`${title}. Russian Foreign Minister Sergei Lavrov arrived in Cuba on Monday.`);
  });

  it('reads only the title before the first sentence, and never the title twice', () => {
    expect(readerContext(title, text, sentences, 0)).toBe(title);
    const titled = [{ start: 0, end: title.length }, ...sentences];
    expect(readerContext(title, text, titled, 1)).toBe(title);
  });
});
