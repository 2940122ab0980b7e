/** How far each target of the performance issue is missed (0: met), at the largest size. */
export function targetsReport(sizes: Record<string, unknown>[], embedding: { speedup_over_baseline: number }, coldStartMs: number) {
  const at = sizes.at(-1) ?? {};
  const miss = (value: unknown, target: number, better: 'lower' | 'higher') =>
    typeof value !== 'number'
      ? null
      : better === 'lower'
        ? Number(Math.max(0, value - target).toFixed(2))
        : Number(Math.max(0, target - value).toFixed(3));
  return {
    at_chunks: at.n,
    query_p50_over_30ms_by: miss(at.query_p50_ms, 30, 'lower'),
    query_p95_over_60ms_by: miss(at.query_p95_ms, 60, 'lower'),
    query_rows_on_disk_p50_over_30ms_by: miss(at.query_rows_on_disk_p50_ms, 30, 'lower'),
    query_rows_on_disk_p95_over_60ms_by: miss(at.query_rows_on_disk_p95_ms, 60, 'lower'),
    recall_under_0_99_by: miss(at.recall_at_10, 0.99, 'higher'),
    rss_over_800mb_by: miss(at.rss_mb, 800, 'lower'),
    cold_start_over_3000ms_by: miss(coldStartMs, 3000, 'lower'),
    ingest_over_60s_per_1000_chunks_by: miss(sizes.find((size) => size.embedding === 'measured')?.ingest_s_per_1000_chunks, 60, 'lower'),
    embedding_speedup_under_2x_by: miss(embedding.speedup_over_baseline, 2, 'higher'),
  };
}
