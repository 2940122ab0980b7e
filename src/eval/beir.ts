/**
 * Loader for a dataset in BEIR layout: corpus.jsonl, queries.jsonl and qrels/<split>.tsv.
 * Errors are one line and name the file (and line) at fault.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { LoadedDocument } from '../corpus/corpus.js';
import { textDocument } from '../corpus/document-file.js';

export interface BeirDocument {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

export interface BeirDataset {
  corpus: BeirDocument[];
  /** Only the queries that have qrels in the split, in queries.jsonl order. */
  queries: BeirQuery[];
  /** query id → (document id → relevance grade) */
  qrels: Map<string, Map<string, number>>;
}

/** The corpus as the bot would read it from files: each document "title, blank line, text" (the `bot` mode's index). */
export function beirDocuments(corpus: BeirDocument[]): LoadedDocument[] {
  return corpus.map((doc) => textDocument(doc.id, doc.title || doc.id, doc.title ? `${doc.title}\n\n${doc.text}` : doc.text));
}

export async function loadBeir(dir: string, split = 'test'): Promise<BeirDataset> {
  const corpusFile = path.join(dir, 'corpus.jsonl');
  const corpus: BeirDocument[] = [];
  for (const { line, record } of await readJsonl(corpusFile)) {
    corpus.push({
      id: idField(record, corpusFile, line),
      // BEIR allows documents without a title.
      title: record.title === undefined ? '' : stringField(record, 'title', corpusFile, line),
      text: stringField(record, 'text', corpusFile, line),
    });
  }

  const queriesFile = path.join(dir, 'queries.jsonl');
  const allQueries: BeirQuery[] = [];
  for (const { line, record } of await readJsonl(queriesFile)) {
    allQueries.push({ id: idField(record, queriesFile, line), text: stringField(record, 'text', queriesFile, line) });
  }

  const qrelsFile = path.join(dir, 'qrels', `${split}.tsv`);
  const queryIds = new Set(allQueries.map((query) => query.id));
  const docIds = new Set(corpus.map((doc) => doc.id));
  const qrels = new Map<string, Map<string, number>>();
  const lines = await readLines(qrelsFile);
  lines.forEach((text, i) => {
    const line = i + 1;
    // The first line is the header "query-id	corpus-id	score".
    if (line === 1 || text === '') return;
    const [queryId, docId, grade, ...rest] = text.split('\t');
    const score = Number(grade);
    if (!queryId || !docId || grade === undefined || rest.length > 0 || !Number.isInteger(score)) {
      fail(qrelsFile, line, 'expected "query-id<TAB>corpus-id<TAB>integer score"');
    }
    if (!queryIds.has(queryId)) fail(qrelsFile, line, `query "${queryId}" is not in queries.jsonl`);
    if (!docIds.has(docId)) fail(qrelsFile, line, `document "${docId}" is not in corpus.jsonl`);
    let judged = qrels.get(queryId);
    if (!judged) qrels.set(queryId, (judged = new Map()));
    judged.set(docId, score);
  });

  const queries = allQueries.filter((query) => qrels.has(query.id));
  return { corpus, queries, qrels };
}

function fail(file: string, line: number, message: string): never {
  throw new UserError(`${file}:${line}: ${message}`);
}

async function readLines(file: string): Promise<string[]> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new UserError(`${file}: ${reason}`);
  }
  return content.split(/\r?\n/);
}

/** Non-empty lines parsed as JSON objects, with their 1-based line numbers. */
async function readJsonl(file: string): Promise<Array<{ line: number; record: Record<string, unknown> }>> {
  const records: Array<{ line: number; record: Record<string, unknown> }> = [];
  (await readLines(file)).forEach((text, i) => {
    if (text.trim() === '') return;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      fail(file, i + 1, `invalid JSON (${(error as Error).message})`);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      fail(file, i + 1, 'expected a JSON object');
    }
    records.push({ line: i + 1, record: record as Record<string, unknown> });
  });
  return records;
}

/** BEIR ids are strings, but some exports write numeric ids; both are read as strings. */
function idField(record: Record<string, unknown>, file: string, line: number): string {
  const id = record._id;
  if ((typeof id !== 'string' || id === '') && typeof id !== 'number') fail(file, line, 'missing "_id"');
  return String(id);
}

function stringField(record: Record<string, unknown>, key: string, file: string, line: number): string {
  const value = record[key];
  if (typeof value !== 'string') fail(file, line, `"${key}" must be a string`);
  return value;
}
