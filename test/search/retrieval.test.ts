import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../src/backend/types.js';
import { UserError } from '../../src/core/errors.js';
import { QuoteReader } from '../../src/embedding/reader.js';
import { openEngine } from '../../src/engine/open.js';
import { DEFAULT_ANSWERER_SETTINGS } from '../../src/search/answerer.js';
import { isKeywordQuery } from '../../src/search/question.js';
import { READER_WEIGHTS } from '../../src/search/quote-weights.js';
import { noTimings } from '../../src/search/stage-timings.js';
import questions from '../fixtures/seed-questions.json' with { type: 'json' };
import { modelsDir, SEEDS, TEST_MODEL, TEST_READER, TEST_RERANK_MODELS, tempDir } from '../support/helpers.js';

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine({
    corpusDir: SEEDS,
    indexDir: tempDir('index-'),
    model: TEST_MODEL,
    rerankModels: TEST_RERANK_MODELS,
    reader: TEST_READER,
    modelsDir: modelsDir(),
  });
});
afterAll(() => engine.close());

describe('answers over the seed articles with the real model', () => {
  it('answers every seed question, with the right article first and the answer in its quote for at least 95%', async () => {
    const wrongArticle: string[] = [];
    const answerNotQuoted: string[] = [];
    for (const { question, docId, answer } of questions.answerable) {
      const { answered, results } = await engine.ask(question);
      expect(answered, question).toBe(true);
      if (results[0]!.docId !== docId) wrongArticle.push(`${question} → ${results[0]!.docId}`);
      if (!results[0]!.quote!.includes(answer)) answerNotQuoted.push(`${question} → ${results[0]!.quote}`);
    }
    // Measured with the default configuration: 20 of 20 and 19 of 20; the misses are listed when this fails.
    expect(wrongArticle.length, wrongArticle.join('\n')).toBeLessThanOrEqual(1);
    expect(answerNotQuoted.length, answerNotQuoted.join('\n')).toBeLessThanOrEqual(1);
  });

  it.each(questions.aboutArticle)('"$question" quotes the line of the article that says it', async ({ question, docId, answer }) => {
    const { results } = await engine.ask(question);
    expect(results[0]!.docId).toBe(docId);
    expect(results[0]!.quote).toContain(answer);
    const text = readFileSync(`${SEEDS}/${docId}.txt`, 'utf8');
    expect(text.slice(results[0]!.start!, results[0]!.end!)).toBe(results[0]!.quote);
  });

  it("adds each stage's milliseconds to the timings asked for, and answers the same as without them", async () => {
    const question = questions.answerable[0]!.question;
    const timings = noTimings();
    const started = performance.now();
    const timed = await engine.ask(question, { timings });
    const total = performance.now() - started;
    expect(timed).toEqual(await engine.ask(question));
    for (const stage of ['embed', 'firstStage', 'rows', 'bm25', 'reader', 'marker'] as const)
      expect(timings[stage], stage).toBeGreaterThan(0);
    expect(Object.values(timings).reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(total);
  });

  it('reads the second half of its candidates only when the first half holds no sure answer', async () => {
    const read = vi.spyOn(QuoteReader.prototype, 'read');
    try {
      const sentencesRead = async (question: string) => {
        read.mockClear();
        await engine.ask(question);
        return { calls: read.mock.calls.length, sentences: read.mock.calls.reduce((sum, [, texts]) => sum + texts.length, 0) };
      };
      // A seed question the reader answers with a high logit among the best six.
      expect(await sentencesRead('Whom did Lavrov meet during his visit to Havana?')).toEqual({
        calls: 1,
        sentences: READER_WEIGHTS.firstPass,
      });
      // A seed question whose best six hold no sure answer, so it reads on.
      expect(await sentencesRead('Where will the next session of the intergovernmental commission be held?')).toEqual({
        calls: 2,
        sentences: READER_WEIGHTS.candidates,
      });
    } finally {
      read.mockRestore();
    }
  });

  it('does not read a claim (Find sources) or keywords, and quotes what supports them; it reads a question', async () => {
    const read = vi.spyOn(QuoteReader.prototype, 'read');
    try {
      const claim = 'Moscow sent five planes with medical equipment to Cuba';
      const { answered, results } = await engine.ask(claim, { claim: true });
      expect(read).not.toHaveBeenCalled();
      expect(answered).toBe(true);
      expect(results[0]!.quote).toContain('Moscow has sent five planes');
      // The same words asked without the option are keywords (question.ts): not read either.
      expect((await engine.ask(claim)).results[0]!.quote).toContain('Moscow has sent five planes');
      expect(read).not.toHaveBeenCalled();
      await engine.ask('Did Moscow send planes with medical equipment to Cuba?');
      expect(read).toHaveBeenCalled();
    } finally {
      read.mockRestore();
    }
  });

  it('quotes one sentence when the reader is sure it answers alone', async () => {
    // The sentence before it talks about the visit and keeps a chance worth its length on average;
    // the reader gives the answering sentence a logit over 3, about 2.5 above any other it read.
    const { results } = await engine.ask('Whom did Lavrov meet during his visit to Havana?');
    expect(results[0]!.quote).toMatch(
      /^On the final leg of his tour .*Lavrov met General Raúl Castro and his successor, Miguel Díaz-Canel, in Cuba on Thursday\.$/,
    );
  });

  it('marks the answer inside the first quote: file offsets within the quote, on the expected words for at least 19 of 20 seed questions', async () => {
    const missed: string[] = [];
    for (const { question, answer } of questions.answerable) {
      const first = (await engine.ask(question)).results[0]!;
      const text = readFileSync(`${SEEDS}/${first.docId}.txt`, 'utf8');
      expect(first.answer, question).toBeDefined();
      const { start, end } = first.answer!;
      expect(start, question).toBeGreaterThanOrEqual(first.start!);
      expect(end, question).toBeLessThanOrEqual(first.end!);
      const marked = text.slice(start, end);
      if (!marked.includes(answer) && !answer.includes(marked)) missed.push(`${question} → ${marked}`);
    }
    // Measured: 20 of 20 ("five" for "five planes", "Brazil, Venezuela and Nicaragua" whole, …); the misses are listed when this fails.
    expect(missed.length, missed.join('\n')).toBeLessThanOrEqual(1);
  });

  it('marks nothing in quotes for keywords, which the reader does not read', async () => {
    for (const { question } of questions.keyword.filter((k) => isKeywordQuery(k.question))) {
      const { results } = await engine.ask(question);
      expect(results[0]?.answer, question).toBeUndefined();
    }
  });

  it('orders results by score, drops far weaker ones, and keeps relevance apart from score', async () => {
    for (const { question } of questions.answerable) {
      const { results } = await engine.ask(question, { k: 5 });
      const scores = results.map((r) => r.score);
      expect(scores, question).toEqual([...scores].sort((a, b) => b - a));
      for (const r of results) {
        expect(r.score).toBeGreaterThan(0);
        expect(r.score).toBeLessThan(1);
        expect(r.score, question).toBeGreaterThanOrEqual(scores[0]! * DEFAULT_ANSWERER_SETTINGS.relativeCut);
      }
    }
  });

  it('has the right article among the top three for every seed question', async () => {
    for (const { question, docId } of questions.answerable) {
      expect(
        (await engine.ask(question)).results.map((r) => r.docId),
        question,
      ).toContain(docId);
    }
  });

  it.each(questions.offTopic)('"%s" is not answered', async (question) => {
    const result = await engine.ask(question);
    expect(result.answered).toBe(false);
    expect(result.results).toEqual([]);
    expect(result.nearest.length).toBeGreaterThan(0);
  });

  it('refuses a question on a covered subject that names what no article mentions, and answers its twin that does', async () => {
    // Lavrov's visits are covered, Japan is not (question-names.ts); Putin's visit to Havana is in an article.
    const refused = await engine.ask('When did Sergey Lavrov visit Japan?');
    expect(refused.answered).toBe(false);
    const answered = await engine.ask('When did Vladimir Putin visit Havana?');
    expect(answered.results[0]?.quote).toContain('2014');
  });

  it('refuses a question whose sentences the reader read and found no answer in, though lesser passages it did not read are on the subject', async () => {
    // Passages the reader did not read count with the lowest logit it gave; they once slipped through on relevance alone.
    const result = await engine.ask('What did Díaz-Canel say about China?');
    expect(result.answered).toBe(false);
    expect(result.results).toEqual([]);
  });

  it('answers keyword questions whose words an article holds, though their cosine is below the threshold', async () => {
    // "How much wheat?" and "tonnes of wheat" were "not covered" before the reader: relevance alone decided.
    // The article is not pinned: the bare "wheat" is held by two seed articles, and either quote answers it
    // (the answers that are facts, "25,000 tonnes", are in one article only).
    const answered = [];
    for (const { question, answer } of questions.keyword) {
      const { results } = await engine.ask(question);
      if (results[0]?.quote?.includes(answer)) answered.push(question);
    }
    expect(answered).toEqual(questions.keyword.map((q) => q.question));
  });

  it('quotes exact substrings of the files on disk, at most two non-overlapping passages per document, 1 to 3 sentences', async () => {
    const { results } = await engine.ask('How is Russia helping Cuba?', { k: 5 });
    expect(results.length).toBeGreaterThan(1);
    for (const docId of new Set(results.map((r) => r.docId))) {
      const same = results.filter((r) => r.docId === docId).sort((a, b) => a.start! - b.start!);
      expect(same.length).toBeLessThanOrEqual(2);
      if (same.length === 2) expect(same[0]!.end).toBeLessThan(same[1]!.start!);
    }
    for (const result of results) {
      const text = readFileSync(`${SEEDS}/${result.docId}.txt`, 'utf8');
      expect(text.slice(result.start!, result.end!)).toBe(result.quote);
      expect(result.quote!.split(/(?<=[.!?”"])\s+(?=[A-Z“"])/).length).toBeLessThanOrEqual(3);
    }
    expect(results.map((r) => r.rank)).toEqual(results.map((_, i) => i + 1));
  });

  it('gives several passages of one document when asked', async () => {
    const { results } = await engine.ask('What did Patrushev say about Ukraine and sanctions?', { k: 6, allowSameDocument: true });
    const ids = results.map((r) => r.docId);
    expect(ids.length).toBeGreaterThan(new Set(ids).size);
  });

  it('filters by publisher and date', async () => {
    const byPublisher = await engine.ask('Russia and Cuba cooperation', { k: 5, publisher: 'prensa' });
    expect(byPublisher.results.map((r) => r.publisher)).toEqual(byPublisher.results.map(() => 'Prensa Latina'));
    const byDate = await engine.ask('Russia and Cuba cooperation', { k: 5, after: '2021-01-01' });
    expect(byDate.results.map((r) => r.date)).toEqual(byDate.results.map(() => '2022-02-18'));
  });

  it('rejects empty and over-long questions with a clear message', async () => {
    await expect(engine.ask('   ')).rejects.toThrow(new UserError('the question is empty'));
    await expect(engine.ask('x'.repeat(2001))).rejects.toThrow('the question is 2001 characters long; the limit is 2000');
  });
});
