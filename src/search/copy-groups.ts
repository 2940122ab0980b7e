import { byFirstReport } from '../core/citation.js';
import type { AnswerResult, CopyOfArticle, DocumentMeta } from '../core/types.js';
import { groupCopies } from '../corpus/copies.js';
import type { IndexedDocument } from '../index/manifest.js';

/**
 * The copies of each story among the indexed documents: grouped when the local index was written
 * (its documents table records them), or here, when a PostgreSQL index loads, from the signatures
 * it stores with its documents. Grouping never hides an
 * article: every copy stays listed, filterable and quotable; it only keeps one story from taking
 * several places among the results, and names the other outlets in the citation.
 */
export class CopyGroups {
  /** Each grouped document's whole group, earliest report first. */
  private readonly groupOf = new Map<string, string[]>();

  constructor(
    indexed: ReadonlyMap<string, Pick<IndexedDocument, 'signature' | 'copyGroup'>>,
    private readonly documents: ReadonlyMap<string, DocumentMeta>,
  ) {
    for (const group of copyGroupsOf(indexed)) {
      const ordered = group
        .filter((id) => documents.has(id))
        .map((id) => documents.get(id)!)
        .sort(byFirstReport)
        .map((doc) => doc.id);
      if (ordered.length > 1) for (const id of ordered) this.groupOf.set(id, ordered);
    }
  }

  /** The story a document belongs to (the id of its group's first report, or its own). */
  story(id: string): string {
    return this.groupOf.get(id)?.[0] ?? id;
  }

  /** The other copies of a document, earliest report first (empty when it has none). */
  others(id: string): string[] {
    return (this.groupOf.get(id) ?? []).filter((other) => other !== id);
  }

  /** What a citation says of the other copies. */
  copiesOf(id: string): CopyOfArticle[] {
    return this.others(id).map((other) => {
      const { publisher, date, url, title } = this.documents.get(other)!;
      return { docId: other, title, publisher, date, url };
    });
  }

  /**
   * The result cited from the earliest report that holds the same words, when that is another copy
   * (among `allowed` ones, if a filter asked for some): the quote stays an exact span of the file it
   * names. `textOf` reads a copy's text (null when it cannot be quoted).
   */
  firstReport(
    result: AnswerResult,
    allowed: ReadonlySet<string> | null,
    textOf: (id: string) => string | null,
  ): { result: AnswerResult; text: string | null } {
    if (result.quote === null || result.start === null) return { result, text: null };
    for (const id of this.groupOf.get(result.docId) ?? []) {
      if (id === result.docId) break; // no earlier copy holds it
      if (allowed && !allowed.has(id)) continue;
      const text = textOf(id);
      const start = text?.indexOf(result.quote) ?? -1;
      if (start === -1) continue;
      const shift = start - result.start;
      const answer = result.answer ? { answer: { start: result.answer.start + shift, end: result.answer.end + shift } } : {};
      const { publisher, author, date, url, title } = this.documents.get(id)!;
      return {
        result: { ...result, ...answer, docId: id, title, publisher, author, date, url, start, end: start + result.quote.length },
        text,
      };
    }
    return { result, text: null };
  }
}

/** Groups of two or more copies: as the documents table recorded them, or found now from the signatures (PostgreSQL). */
function copyGroupsOf(indexed: ReadonlyMap<string, Pick<IndexedDocument, 'signature' | 'copyGroup'>>): string[][] {
  if ([...indexed.values()].some((doc) => doc.copyGroup === undefined))
    return groupCopies([...indexed].map(([id, doc]) => ({ id, signature: doc.signature })));
  // (A subset of a generation keeps the groups found over all of it.) Most documents have no copy:
  // members are counted first, so only real groups get an array (542,867 documents at a million chunks).
  let last = 0;
  indexed.forEach((doc) => (last = Math.max(last, doc.copyGroup!)));
  const members = new Uint32Array(last + 1);
  indexed.forEach((doc) => members[doc.copyGroup!]!++);
  const groups = new Map<number, string[]>();
  indexed.forEach((doc, id) => {
    if (members[doc.copyGroup!]! < 2) return;
    const group = groups.get(doc.copyGroup!);
    if (group) group.push(id);
    else groups.set(doc.copyGroup!, [id]);
  });
  return [...groups.values()];
}
