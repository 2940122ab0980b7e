import { describe, expect, it } from 'vitest';
import { decodeDocumentTable, encodeDocumentTable } from '../../src/index/document-table.js';
import type { IndexedDocument } from '../../src/index/manifest.js';
import { checkTable } from '../../src/index/verify.js';

const signature = Buffer.alloc(256, 7).toString('base64');
const documents = new Map<string, IndexedDocument>([
  [
    'bbc/2024/budget-vote',
    {
      sha256: 'ab'.repeat(32),
      title: 'Budget vote — “delayed” ✓',
      chunks: [
        { start: 0, end: 30, firstSentence: 0, lastSentence: 2 },
        { start: 16, end: 45, firstSentence: 1, lastSentence: 3 },
      ],
      sentences: [
        { start: 0, end: 15 },
        { start: 16, end: 30 },
        { start: 31, end: 45 },
      ],
      signature,
    },
  ],
  ['empty', { sha256: '00'.repeat(32), title: '', chunks: [], sentences: [] }],
  [
    'c',
    {
      sha256: 'ff'.repeat(32),
      title: 'C',
      chunks: [{ start: 3, end: 9, firstSentence: 0, lastSentence: 1 }],
      sentences: [{ start: 3, end: 9 }],
      signature, // a copy of the first
    },
  ],
]);
const manifest = (counts: { documents: number; chunks: number; sentences: number }) =>
  ({ counts }) as unknown as Parameters<typeof checkTable>[1];

/** The encoded table in a fresh 4-byte-aligned buffer, as the store reads it. */
const aligned = (bytes: Uint8Array) => new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));

describe('the binary documents table', () => {
  it('gives back every id, sha256, title, signature and span, in order', () => {
    const decoded = decodeDocumentTable(aligned(encodeDocumentTable(documents)), { signatures: true });
    expect([...decoded.keys()]).toEqual([...documents.keys()]);
    for (const [id, doc] of documents) {
      const back = decoded.get(id)!;
      expect({ sha256: back.sha256, title: back.title, signature: back.signature }).toEqual({
        sha256: doc.sha256,
        title: doc.title,
        signature: doc.signature,
      });
      expect([...back.chunks]).toEqual([...doc.chunks]);
      expect([...back.sentences]).toEqual([...doc.sentences]);
      expect(back.sentences.length).toBe(doc.sentences.length);
      expect(back.sentences.at(back.sentences.length)).toBeUndefined();
      expect(back.sentences.at(-1)).toBeUndefined();
    }
    expect(() => checkTable(decoded, manifest({ documents: 3, chunks: 3, sentences: 4 }))).not.toThrow();
    // Copies of one story are grouped when the table is written, under the first one's position.
    expect([...decoded.values()].map((doc) => doc.copyGroup)).toEqual([0, 1, 0]);
    // Without asking for them, signatures are not kept (answering needs the recorded groups only).
    expect([...decodeDocumentTable(aligned(encodeDocumentTable(documents))).values()].map((doc) => doc.signature)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('refuses a table whose bytes do not add up, or that is not one', () => {
    const bytes = aligned(encodeDocumentTable(documents));
    expect(() => decodeDocumentTable(bytes.subarray(0, bytes.length - 4))).toThrow(/has \d+ bytes, its header says \d+/);
    expect(() => decodeDocumentTable(aligned(Buffer.from('{"not":"a table"}')))).toThrow(/no header/);
    const recounted = aligned(bytes);
    new DataView(recounted.buffer).setUint32(32, 99, true); // the first document's chunk count: more spans than the columns hold
    expect(() => decodeDocumentTable(recounted)).toThrow(/the documents table/);
  });

  it('checks spans against each other and counts against the manifest', () => {
    const decoded = decodeDocumentTable(aligned(encodeDocumentTable(documents)));
    expect(() => checkTable(decoded, manifest({ documents: 3, chunks: 4, sentences: 4 }))).toThrow(/count different/);
    const overlapping = new Map(documents);
    overlapping.set('c', { ...documents.get('c')!, sentences: [{ start: 5, end: 4 }] });
    expect(() =>
      checkTable(decodeDocumentTable(aligned(encodeDocumentTable(overlapping))), manifest({ documents: 3, chunks: 3, sentences: 4 })),
    ).toThrow(/sentence 0 is out of order/);
    const offEdge = new Map(documents);
    offEdge.set('c', { ...documents.get('c')!, chunks: [{ start: 3, end: 9, firstSentence: 0, lastSentence: 2 }] });
    expect(() =>
      checkTable(decodeDocumentTable(aligned(encodeDocumentTable(offEdge))), manifest({ documents: 3, chunks: 3, sentences: 4 })),
    ).toThrow(/not on sentence boundaries/);
  });
});
