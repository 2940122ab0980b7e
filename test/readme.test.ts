import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, essentials, ROOT, readBlocks, runExamples } from '../scripts/readme-examples.js';

/**
 * The examples of program output in README.md and docs/ are written by scripts/readme-examples.ts.
 * This runs the same examples with the real models and fails when a block no longer shows what
 * the program prints: regenerate with `npx tsx scripts/readme-examples.ts`.
 */
const blocks = readBlocks();
let printed: Map<string, string>;

beforeAll(async () => {
  printed = await runExamples();
}, 300_000);

describe('the examples in README.md and docs/', () => {
  it('has one block for every example, and no block the script does not write', () => {
    expect(blocks.map((block) => block.name).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  for (const name of Object.keys(EXAMPLES)) {
    it(`${name} shows what the program prints`, () => {
      const block = blocks.find((candidate) => candidate.name === name);
      expect(block, `no <!-- example:${name} --> block`).toBeDefined();
      expect(essentials(name, block!.text), `${path.relative(ROOT, block!.file)} is stale: run npx tsx scripts/readme-examples.ts`).toEqual(
        essentials(name, printed.get(name)!),
      );
    });
  }

  it('tells a changed first quote, docId or key from the printed one', () => {
    const json = printed.get('ask-json')!;
    const answer = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(json)![1]!);
    const first = answer.results[0];
    const variants = [
      { ...answer, results: [{ ...first, quote: `${first.quote} ` }, ...answer.results.slice(1)] },
      { ...answer, results: [{ ...first, docId: 'another' }, ...answer.results.slice(1)] },
      { ...answer, results: answer.results.map(({ score: _score, ...rest }: Record<string, unknown>) => rest) },
      { ...answer, extra: true },
    ];
    for (const variant of variants) {
      const stale = json.replace(/```json\n[\s\S]*?\n```/, `\`\`\`json\n${JSON.stringify(variant, null, 2)}\n\`\`\``);
      expect(essentials('ask-json', stale)).not.toEqual(essentials('ask-json', json));
    }
    const session = printed.get('terminal')!;
    const firstQuote = /^1\. .*$/m.exec(session)![0];
    expect(essentials('terminal', session.replace(firstQuote, firstQuote.replace('“', '“Not ')))).not.toEqual(
      essentials('terminal', session),
    );
    const reply = printed.get('discord-ask')!;
    expect(essentials('discord-ask', reply.replace('┃ > ', '┃ > Not '))).not.toEqual(essentials('discord-ask', reply));
  });
});
