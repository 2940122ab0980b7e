import { createInterface } from 'node:readline/promises';
import { UserError } from '../core/errors.js';
import { count } from '../core/plural.js';
import { visibleControls } from '../core/terminal-text.js';
import type { QuoteEngine } from '../core/types.js';
import { answerToText } from './format.js';

/** The interactive mode of `npm start` without a Discord token: the same core, at a prompt. */
export async function runTerminal(
  engine: QuoteEngine,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const documents = engine.documents();
  output.write(
    `Quotebot terminal mode: ${count(documents.length, 'article')} indexed. Ask a question, or type "exit".\n` +
      'To run the Discord bot instead, set DISCORD_TOKEN and DISCORD_CLIENT_ID in .env (see README) and run npm start again.\n\n',
  );
  const interactive = Boolean((input as NodeJS.ReadStream).isTTY);
  const prompt = createInterface({ input, output, terminal: interactive });
  prompt.setPrompt('ask> ');
  prompt.prompt();
  for await (const line of prompt) {
    // A terminal echoes what is typed; piped questions would leave "ask> " followed by answers to nothing.
    if (!interactive) output.write(`${line}\n`);
    const question = line.trim();
    if (question === 'exit' || question === 'quit') break;
    if (question !== '') {
      try {
        await engine.refresh();
        output.write(`\n${answerToText(await engine.ask(question), { bold: Boolean((output as NodeJS.WriteStream).isTTY) })}\n`);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        output.write(`error: ${visibleControls(error.message)}\n`);
      }
    }
    prompt.prompt();
  }
  prompt.close();
}
