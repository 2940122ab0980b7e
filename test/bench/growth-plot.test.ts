import { describe, expect, it } from 'vitest';
import { escapeXml, growthSvg, niceCeiling, PANELS } from '../../src/bench/growth-plot.js';

const SIZES = [
  { n: 1_012, before_reader_p50_ms: 20, reader_p50_ms: 30, query_p50_ms: 50, rss_mb: 500, index_mb: 28, hnsw_build_s: 0.8 },
  { n: 100_004, before_reader_p50_ms: 28, reader_p50_ms: 31, query_p50_ms: 60, rss_mb: 700, index_mb: 2_100, cold_start_ms: 2_500 },
  { n: 1_000_420, before_reader_p50_ms: 35, reader_p50_ms: 31, query_p50_ms: 70, rss_mb: 4_000, index_mb: 21_000, cold_start_ms: 6_000 },
];

/** Every tag reads as name and quoted attributes, every one opened is closed in order, and text holds no raw markup. */
function wellFormed(svg: string): boolean {
  const open: string[] = [];
  const tags = [...svg.matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z][\w:-]*="[^"<]*")*)\s*(\/?)>/g)];
  if (tags.length !== svg.split('<').length - 1) return false; // a tag this pattern cannot read
  for (const [, closing, name, , selfClosing] of tags) {
    if (selfClosing) continue;
    if (!closing) open.push(name!);
    else if (open.pop() !== name) return false;
  }
  const withoutTags = svg.replace(/<[^>]*>/g, '');
  return open.length === 0 && !/[<>]/.test(withoutTags) && !/&(?!(amp|lt|gt|quot|apos);)/.test(withoutTags);
}

describe('the growth plot', () => {
  it('is well-formed SVG with one panel per cost, each holding its measured points', () => {
    const svg = growthSvg({ sizes: SIZES, caption: 'AMD EPYC <2 cores> & "quotes".' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain('AMD EPYC &lt;2 cores&gt; &amp; &quot;quotes&quot;.');
    for (const panel of PANELS) {
      const series = svg.match(new RegExp(`<g class="series" data-series="${panel.field}">(.*?)</g>`))?.[1];
      expect(series, panel.field).toBeDefined();
      const measured = SIZES.filter((size) => panel.field in size).length;
      expect(series!.match(/<circle /g)?.length ?? 0, panel.field).toBe(measured);
    }
    expect(svg).toContain('not measured'); // no size measured rows from disk here
    // A log axis of decades, 1k to 1M.
    for (const label of ['>1k<', '>10k<', '>100k<', '>1M<']) expect(svg).toContain(label);
  });

  it('draws targets dashed and the 10M projection as an open circle on the axis extended to 10M', () => {
    const svg = growthSvg({
      sizes: SIZES,
      projection_10m: { chunks: 10_000_000, rss_mb: 40_000, index_mb: 210_000, hnsw_build_s: 14_000 },
    });
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain('>10M<');
    expect(svg.match(/<circle class="projection"/g)).toHaveLength(3);
    expect(svg.match(/<polyline class="target"/g)!.length).toBeGreaterThanOrEqual(4);
  });

  it('rounds axes up to a readable number', () => {
    expect(niceCeiling(0.7)).toBe(1);
    expect(niceCeiling(37)).toBe(50);
    expect(niceCeiling(110)).toBe(200);
    expect(niceCeiling(2_400)).toBe(2_500);
    expect(niceCeiling(5_000)).toBe(5_000);
    expect(escapeXml(`a<b>&"'`)).toBe('a&lt;b&gt;&amp;&quot;&apos;');
  });
});
