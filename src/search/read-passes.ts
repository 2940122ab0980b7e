import type { QuoteReader, ReaderVerdict } from '../embedding/reader.js';

/** When the reader reads the rest of its candidates (part of ReaderWeights). */
export interface ReadPasses {
  /** Candidates read first (the best by the fitted signals). */
  firstPass: number;
  /** The rest are read only when the first pass's best logit is under this (it found no answer it is sure of) … */
  sureAbove: number;
  /** … and at or above this (the first pass is not so far from any answer that the lesser candidates are hopeless). */
  hopelessBelow: number;
}

/** Whether the rest are read, given the first pass's best logit: it is sure of none, and none is hopeless. */
export function readsOn(best: number, { sureAbove, hopelessBelow }: Pick<ReadPasses, 'sureAbove' | 'hopelessBelow'>): boolean {
  return best < sureAbove && best >= hopelessBelow;
}

/**
 * The reader's verdicts for the best candidates, read in up to two passes: the first `firstPass`,
 * then the others only when the best logit of those is between `hopelessBelow` and `sureAbove`.
 * Most questions have their answer among the best few and the reader says so; a question on another
 * subject gets nothing near an answer among them. Reading the rest then changes almost nothing and
 * costs half the reading time (docs/quality.md, "Reading in two passes"). Returns one verdict per
 * candidate read, in the candidates' order: a prefix of them.
 */
export async function readInPasses(
  reader: Pick<QuoteReader, 'read'>,
  question: string,
  texts: string[],
  contexts: string[],
  { firstPass, sureAbove, hopelessBelow }: ReadPasses,
): Promise<ReaderVerdict[]> {
  const first = await reader.read(question, texts.slice(0, firstPass), contexts.slice(0, firstPass));
  const best = Math.max(...first.map((verdict) => verdict.score));
  if (texts.length <= firstPass || !readsOn(best, { sureAbove, hopelessBelow })) return first;
  return [...first, ...(await reader.read(question, texts.slice(firstPass), contexts.slice(firstPass)))];
}
