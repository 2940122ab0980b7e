/**
 * The k best of `candidates` by `scores` (ties: lower index first), best first. A size-k heap
 * whose root is the worst kept passage: O(n log k) instead of sorting all n matches, which
 * for common query terms is most of the corpus.
 */
export function topK(candidates: number[], scores: Float64Array, k: number): number[] {
  const better = (x: number, y: number) => scores[x]! > scores[y]! || (scores[x] === scores[y] && x < y);
  const heap: number[] = [];
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);

  for (const candidate of candidates) {
    if (heap.length < k) {
      heap.push(candidate);
      // Sift up: the new passage rises while it is worse than its parent.
      for (let i = heap.length - 1; i > 0 && better(heap[(i - 1) >> 1]!, heap[i]!); i = (i - 1) >> 1) {
        swap(i, (i - 1) >> 1);
      }
    } else if (k > 0 && better(candidate, heap[0]!)) {
      heap[0] = candidate;
      // Sift down: swap with the worse child while that child is worse.
      for (let i = 0; ; ) {
        let worst = i;
        for (const child of [2 * i + 1, 2 * i + 2]) {
          if (child < heap.length && better(heap[worst]!, heap[child]!)) worst = child;
        }
        if (worst === i) break;
        swap(i, worst);
        i = worst;
      }
    }
  }
  return heap.sort((x, y) => (better(x, y) ? -1 : 1));
}
