/**
 * Row i of the chunk table: which document and which of its chunks. Two columns and the list of
 * document ids, not an object per row: a million chunks were a million objects made at every start.
 */
export class ChunkRows {
  private constructor(
    private readonly ids: string[],
    private readonly documentOf: Uint32Array,
    private readonly chunkOf: Uint32Array,
  ) {}

  /** The rows of documents in this order, each with this many chunks. */
  static of(documents: Iterable<[id: string, chunks: number]>): ChunkRows {
    const ids: string[] = [];
    const counts: number[] = [];
    for (const [id, chunks] of documents) {
      ids.push(id);
      counts.push(chunks);
    }
    const total = counts.reduce((sum, n) => sum + n, 0);
    const documentOf = new Uint32Array(total);
    const chunkOf = new Uint32Array(total);
    let row = 0;
    counts.forEach((n, d) => {
      for (let chunk = 0; chunk < n; chunk++, row++) {
        documentOf[row] = d;
        chunkOf[row] = chunk;
      }
    });
    return new ChunkRows(ids, documentOf, chunkOf);
  }

  get length(): number {
    return this.chunkOf.length;
  }

  docId(row: number): string {
    return this.ids[this.documentOf[row]!]!;
  }

  chunk(row: number): number {
    return this.chunkOf[row]!;
  }

  /** One row as an object (undefined past the end). */
  at(row: number): { docId: string; chunk: number } | undefined {
    return Number.isInteger(row) && row >= 0 && row < this.length ? { docId: this.docId(row), chunk: this.chunk(row) } : undefined;
  }
}
