import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runTerminal } from '../../src/cli/terminal.js';
import { UserError } from '../../src/core/errors.js';
import { stubEngine } from '../support/stub-engine.js';

async function session(engine: ReturnType<typeof stubEngine>, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const done = runTerminal(engine, input, output);
  input.end(`${lines.join('\n')}\n`);
  await done;
  return printed;
}

describe('terminal mode', () => {
  it("never sends an article's escape sequences to the terminal", async () => {
    const quote = '\x1b]8;;https://evil.example\x07Click\x1b]8;;\x07 and \x1b[2J.';
    const engine = stubEngine({
      answer: (question) => ({
        question,
        answered: true,
        nearest: [],
        results: [
          {
            rank: 1,
            docId: 'd',
            title: 'T\x1b[31m',
            publisher: null,
            author: null,
            date: null,
            url: null,
            link: null,
            alsoPublishedBy: [],
            score: 1,
            relevance: 1,
            quote,
            start: 0,
            end: quote.length,
          },
        ],
      }),
    });
    const printed = await session(engine, ['What happened?', 'exit']);
    expect(printed).toContain('“␛]8;;https://evil.example␇Click␛]8;;␇ and ␛[2J.”');
    expect(printed).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it("and shows a user error's control characters too", async () => {
    const engine = stubEngine({
      answer: () => {
        throw new UserError('document a\x1b[2J changed');
      },
    });
    expect(await session(engine, ['q', 'exit'])).toContain('error: document a␛[2J changed\n');
  });
});
