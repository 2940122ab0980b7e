import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { DEFAULT_READER_DIR } from '../../src/embedding/models.js';
import { bestSpan, QuoteReader, tokenOffsets } from '../../src/embedding/reader.js';
import { tempDir } from '../support/helpers.js';

describe('tokenOffsets', () => {
  it('places lower-cased, accent-stripped and split word pieces on the original text', () => {
    const text = 'María (AFC) défeated them 24–10.';
    const offsets = tokenOffsets(text, ['maria', '(', 'afc', ')', 'def', '##eated', 'them', '24', '–', '10', '.']);
    expect(offsets.map((o) => (o ? text.slice(o.start, o.end) : null))).toEqual([
      'María',
      '(',
      'AFC',
      ')',
      'déf',
      'eated',
      'them',
      '24',
      '–',
      '10',
      '.',
    ]);
  });

  it('gives null for a token it cannot place and goes on with the next word', () => {
    const text = 'wheat 🌾 arrived';
    const offsets = tokenOffsets(text, ['wheat', '[UNK]', 'arrived']);
    expect(offsets[1]).toBeNull();
    expect(text.slice(offsets[2]!.start, offsets[2]!.end)).toBe('arrived');
  });
});

describe('bestSpan', () => {
  it('takes the best start and end with the start first and within the length limit', () => {
    const starts = Float32Array.from([0, 5, 0, 0]);
    const ends = Float32Array.from([9, 0, 0, 4]);
    // (0,0) = 9, (1,3) = 9, (1,1) = 5: a tie goes to the first found; an end before its start is never taken.
    expect(bestSpan(starts, ends, 30)).toEqual({ first: 0, last: 0, logit: 9 });
    expect(bestSpan(Float32Array.from([0, 5, 0, 0]), Float32Array.from([0, 0, 0, 4]), 2)).toEqual({ first: 1, last: 1, logit: 5 });
  });
});

describe('the committed quote reader', () => {
  let reader: QuoteReader;
  beforeAll(async () => {
    reader = await QuoteReader.load(DEFAULT_READER_DIR, 1);
  });

  it('matches the sha256 its model card names', () => {
    const bytes = readFileSync(path.join(DEFAULT_READER_DIR, 'onnx', 'model_quantized.onnx'));
    const card = readFileSync(path.join(DEFAULT_READER_DIR, 'README.md'), 'utf8');
    expect(card).toContain(createHash('sha256').update(bytes).digest('hex'));
    expect(bytes.length).toBeLessThanOrEqual(25 * 1024 * 1024);
  });

  it('ranks the sentence that answers above sentences on the same subject that do not', async () => {
    const question = 'How much wheat did Russia donate to Cuba?';
    const answering =
      'As a gesture of goodwill, Russia gave an emergency donation of 25,000 tonnes of wheat last month to address the food shortages on the island.';
    const topical = [
      'Russia and Cuba discussed how to deepen bilateral cooperation between both countries.',
      'Wheat prices rose sharply across Europe this year because of the drought.',
    ];
    const [answer, ...others] = await reader.read(question, [answering, ...topical]);
    for (const other of others) expect(answer!.score).toBeGreaterThan(other.score);
  });

  it('marks an answer inside the sentence as offsets of that sentence', async () => {
    // Replies take their marks from the answer marker (token F1 73% for this head, 80% for the marker), but it finds these.
    const cases: Array<[string, string, string]> = [
      [
        'How much wheat did Russia donate to Cuba?',
        'As a gesture of goodwill, Russia gave an emergency donation of 25,000 tonnes of wheat last month.',
        '25,000',
      ],
      [
        'When did Putin visit Havana?',
        "Both leaders held a frank exchange, based on consensus reached since President Vladimir Putin's visit to Havana in 2014.",
        '2014',
      ],
    ];
    for (const [question, sentence, answer] of cases) {
      const [verdict] = await reader.read(question, [sentence]);
      const { start, end } = verdict!.answer!;
      expect(start).toBeGreaterThanOrEqual(0);
      expect(end).toBeLessThanOrEqual(sentence.length);
      expect(sentence.slice(start, end)).toContain(answer);
    }
  });

  it('reads the sentence before: "He met …" answers "whom did Lavrov meet" only after a sentence that names Lavrov', async () => {
    const question = 'Whom did Lavrov meet during his visit to Havana?';
    const sentence = 'He met President Raul Castro and Foreign Minister Bruno Rodriguez on Tuesday.';
    const [named, unnamed] = await reader.read(
      question,
      [sentence, sentence],
      [
        'Russia and Cuba. Russian Foreign Minister Sergei Lavrov arrived in Havana on Monday for a two-day visit.',
        'Russia and Cuba. The Spanish king arrived in Madrid on Monday after a week of talks in Lisbon.',
      ],
    );
    expect(named!.score).toBeGreaterThan(unnamed!.score);
  });

  it('reads a 2,000-character question and context without failing (the question keeps half the tokens)', async () => {
    const [withContext] = await reader.read('why '.repeat(500), ['A short sentence.'], ['because '.repeat(500)]);
    expect(Number.isFinite(withContext!.score)).toBe(true);

    const [verdict] = await reader.read('why '.repeat(500), ['A short sentence.']);
    expect(Number.isFinite(verdict!.score)).toBe(true);
  });
});

describe('an answer marker named by the reader', () => {
  /** A reader folder made of the committed reader's files (linked) and a config of its own. */
  const readerFolder = (config: object): string => {
    const dir = tempDir('reader-');
    for (const file of ['tokenizer.json', 'tokenizer_config.json']) symlinkSync(path.join(DEFAULT_READER_DIR, file), path.join(dir, file));
    mkdirSync(path.join(dir, 'onnx'));
    symlinkSync(path.join(DEFAULT_READER_DIR, 'onnx', 'model_quantized.onnx'), path.join(dir, 'onnx', 'model_quantized.onnx'));
    const committed = JSON.parse(readFileSync(path.join(DEFAULT_READER_DIR, 'config.json'), 'utf8'));
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...committed, ...config }));
    return dir;
  };

  it('is loaded with the reader and marks each sentence as offsets of it (here the reader itself marks)', async () => {
    // The reader's own folder stands in for a marker: the plumbing, checked against its own span head.
    const reader = await QuoteReader.load(readerFolder({ answer_marker: DEFAULT_READER_DIR }), 1);
    expect(reader.marks).toBe(true);
    const question = 'How much wheat did Russia donate to Cuba?';
    const sentences = ['As a gesture of goodwill, Russia gave an emergency donation of 25,000 tonnes of wheat last month.', 'Short.'];
    const marks = await reader.mark(question, sentences, ['Russia and Cuba', 'Russia and Cuba']);
    const own = await reader.read(question, sentences, ['Russia and Cuba', 'Russia and Cuba']);
    expect(marks).toHaveLength(2);
    expect(marks[0]).toEqual({ start: own[0]!.answer!.start, end: own[0]!.answer!.end });
    expect(sentences[0]!.slice(marks[0]!.start, marks[0]!.end)).toContain('25,000');
  });

  it('without one, marks nothing', async () => {
    const reader = await QuoteReader.load(readerFolder({ answer_marker: undefined }), 1);
    expect(reader.marks).toBe(false);
    expect(await reader.mark('When?', ['In 2014.'])).toEqual([null]);
  });

  it('a marker that is not there is one line naming where it looked', async () => {
    const error = await QuoteReader.load(readerFolder({ answer_marker: '../no-such-marker' }), 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /^answer marker not found: looked for .*\/no-such-marker\/onnx\/model_quantized\.onnx; train it with training\/reader\/train_marker\.py/,
    );
  });
});

describe('the committed answer marker', () => {
  const markerDir = path.join(DEFAULT_READER_DIR, '..', 'answer-marker');
  let reader: QuoteReader;
  beforeAll(async () => {
    reader = await QuoteReader.load(DEFAULT_READER_DIR, 1);
  });

  it('is the one the committed reader names, and matches the sha256 its model card names', () => {
    expect(reader.marks).toBe(true);
    const bytes = readFileSync(path.join(markerDir, 'onnx', 'model_quantized.onnx'));
    const card = readFileSync(path.join(markerDir, 'README.md'), 'utf8');
    expect(card).toContain(createHash('sha256').update(bytes).digest('hex'));
    expect(bytes.length).toBeLessThanOrEqual(25 * 1024 * 1024);
  });

  it('marks the answer, not the subject, inside quoted sentences', async () => {
    const cases: Array<[string, string, string, string]> = [
      [
        'How much wheat did Russia donate to Cuba?',
        'As a gesture of goodwill, Russia gave an emergency donation of 25,000 tonnes of wheat last month.',
        'Russia and Cuba',
        '25,000 tonnes',
      ],
      [
        'Whom did Lavrov meet in Cuba?',
        'He met General Raúl Castro and his successor, Miguel Díaz-Canel, in Cuba on Thursday.',
        'Lavrov visits Latin America. On the final leg of his tour, Lavrov arrived in Havana.',
        'Raúl Castro',
      ],
    ];
    for (const [question, sentence, context, answer] of cases) {
      const [mark] = await reader.mark(question, [sentence], [context]);
      const marked = sentence.slice(mark!.start, mark!.end);
      expect(marked, question).toContain(answer);
      expect(marked.length, question).toBeLessThan(sentence.length / 2);
    }
  });
});

it('a missing reader is one line naming where it looked', async () => {
  const error = await QuoteReader.load('/no/such/reader').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  expect((error as Error).message).toMatch(/^quote reader not found: looked for \/no\/such\/reader\/onnx\/model_quantized\.onnx/);
  expect((error as Error).message).not.toContain('\n');
});
