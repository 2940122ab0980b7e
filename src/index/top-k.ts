export interface ScoredPassage {
  index: number;
  score: number;
}

/**
 * The k best passages offered to it (ties: lower index first). A size-k heap whose root is the
 * worst kept passage: O(n log k) instead of sorting all n matches, which for common query terms
 * is most of the corpus.
 */
export class TopK {
  private readonly heap: ScoredPassage[] = [];

  constructor(private readonly k: number) {}

  /** True once k passages are kept: from then on a passage must beat `worstScore` to enter. */
  get full(): boolean {
    return this.heap.length >= this.k;
  }

  /** The score of the worst kept passage (0 while none is kept). */
  get worstScore(): number {
    return this.heap[0]?.score ?? 0;
  }

  offer(index: number, score: number): void {
    const { heap, k } = this;
    if (heap.length < k) {
      heap.push({ index, score });
      // Sift up: the new passage rises while it is worse than its parent.
      for (let i = heap.length - 1; i > 0 && better(heap[(i - 1) >> 1]!, heap[i]!); i = (i - 1) >> 1) this.swap(i, (i - 1) >> 1);
    } else if (k > 0 && (score > heap[0]!.score || (score === heap[0]!.score && index < heap[0]!.index))) {
      heap[0] = { index, score };
      // Sift down: swap with the worse child while that child is worse.
      for (let i = 0; ; ) {
        let worst = i;
        for (const child of [2 * i + 1, 2 * i + 2]) {
          if (child < heap.length && better(heap[worst]!, heap[child]!)) worst = child;
        }
        if (worst === i) break;
        this.swap(i, worst);
        i = worst;
      }
    }
  }

  /** The kept passages, best first. */
  best(): ScoredPassage[] {
    return [...this.heap].sort((x, y) => (better(x, y) ? -1 : 1));
  }

  private swap(i: number, j: number): void {
    [this.heap[i], this.heap[j]] = [this.heap[j]!, this.heap[i]!];
  }
}

function better(x: ScoredPassage, y: ScoredPassage): boolean {
  return x.score > y.score || (x.score === y.score && x.index < y.index);
}

/** The k best of `candidates` by `scores` (ties: lower index first), best first. */
export function topK(candidates: number[], scores: Float64Array, k: number): ScoredPassage[] {
  const top = new TopK(k);
  for (const candidate of candidates) top.offer(candidate, scores[candidate]!);
  return top.best();
}
