import { describe, expect, it } from 'vitest';
import { byFirstReport, copiesLine } from '../../src/core/citation.js';
import { copySignature, groupCopies, SIGNATURE_HASHES } from '../../src/corpus/copies.js';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { SEEDS } from '../support/helpers.js';

const seeds = loadCorpus(SEEDS).documents.map((doc) => ({ id: doc.id, text: doc.text }));
const paragraphs = (text: string) => text.split(/\n\s*\n/).filter((p) => p.trim());

describe('copies of one story', () => {
  it('signs a text the same way every time, in 256 bytes', () => {
    const signature = copySignature(seeds[0]!.text);
    expect(copySignature(seeds[0]!.text)).toBe(signature);
    expect(Buffer.from(signature, 'base64')).toHaveLength(SIGNATURE_HASHES * 2);
  });

  it('groups edited copies with their original, and never two different articles', () => {
    const [a, b] = seeds;
    const documents = [
      ...seeds.map(({ id, text }) => ({ id, signature: copySignature(text) })),
      // Republished with a paragraph of its own at the end, and with case and punctuation changed.
      { id: 'copy-added', signature: copySignature(`${a!.text}\n\nThe agency contributed to this report.`) },
      { id: 'copy-shouted', signature: copySignature(a!.text.toUpperCase().replace(/[,.]/g, ' ')) },
      // Its last paragraphs cut.
      {
        id: 'copy-cut',
        signature: copySignature(
          paragraphs(b!.text)
            .slice(0, Math.ceil(paragraphs(b!.text).length * 0.8))
            .join('\n\n'),
        ),
      },
    ];
    const groups = groupCopies(documents).map((group) => group.sort());
    expect(groups.sort()).toEqual([[a!.id, 'copy-added', 'copy-shouted'].sort(), [b!.id, 'copy-cut'].sort()].sort());
  });

  it('leaves a document without a usable signature alone', () => {
    const signature = copySignature(seeds[0]!.text);
    expect(
      groupCopies([
        { id: 'a', signature },
        { id: 'b', signature: null },
        { id: 'c', signature: 'not base64 of the right size' },
      ]),
    ).toEqual([]);
    expect(
      groupCopies([
        { id: 'a', signature },
        { id: 'b', signature },
      ]),
    ).toEqual([['a', 'b']]);
  });

  it('orders a group by first report: earliest date first, undated last', () => {
    const docs = [
      { id: 'c', date: null },
      { id: 'b', date: '2024-03-02' },
      { id: 'a', date: '2024-03-02' },
      { id: 'd', date: '2024-02-28' },
    ];
    expect([...docs].sort(byFirstReport).map((doc) => doc.id)).toEqual(['d', 'a', 'b', 'c']);
  });
});

describe('the citation of a story published several times', () => {
  const copy = (docId: string, publisher: string | null, date: string | null) => ({
    docId,
    title: `Title of ${docId}`,
    publisher,
    date,
    url: null,
  });
  const result = { docId: 'reuters', title: 'Wheat for Cuba', publisher: 'Reuters', date: '2024-03-01' };

  it('names the first report first, then the others with their dates', () => {
    expect(copiesLine({ ...result, alsoPublishedBy: [copy('bbc', 'BBC', '2024-03-02'), copy('blog', null, null)] })).toBe(
      'First reported by Reuters on 2024-03-01; also published by BBC (2024-03-02), Title of blog',
    );
  });

  it('names an earlier copy as the first report when the quoted one is not', () => {
    expect(copiesLine({ ...result, alsoPublishedBy: [copy('ap', 'AP', '2024-02-29')] })).toBe(
      'First reported by AP on 2024-02-29; also published by Reuters (2024-03-01)',
    );
  });

  it('says only "also published by" without dates, and nothing without copies', () => {
    expect(copiesLine({ ...result, date: null, alsoPublishedBy: [copy('bbc', 'BBC', null)] })).toBe('Also published by BBC');
    expect(copiesLine({ ...result, alsoPublishedBy: [] })).toBeNull();
  });
});
