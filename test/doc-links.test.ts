import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/helpers.js';

/** README.md and every page of docs/: the documentation whose links must keep working. */
const pages = [
  path.join(ROOT, 'README.md'),
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join(ROOT, 'docs', name)),
];

/** The text outside fenced code blocks (a `# heading` or `[x](y)` inside one is an example, not a heading or link). */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as '-', repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const text = heading!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** Every link of a page to a file of this repository (with its #anchor, if any); web links are not followed. */
function localLinks(file: string): Array<{ target: string; anchor: string | undefined }> {
  const text = prose(readFileSync(file, 'utf8')).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((link) => !/^[a-z][a-z0-9+.-]*:/i.test(link))
    .map((link) => {
      const [target, anchor] = link.split('#');
      return { target: target ? path.resolve(path.dirname(file), target) : file, anchor };
    });
}

describe('links between README.md and docs/', () => {
  it('computes anchors as GitHub does', () => {
    const page =
      '# quotebot\n## Scale-out: PostgreSQL + pgvector\n### `ask`: the command-line contract\n## Quote quality (SQuAD v1.1)\n### Sharding (from 2,500 guilds)\n## Tests\n## Tests\n```sh\n# not a heading\n```\n';
    expect([...anchors(page)]).toEqual([
      'quotebot',
      'scale-out-postgresql--pgvector',
      'ask-the-command-line-contract',
      'quote-quality-squad-v11',
      'sharding-from-2500-guilds',
      'tests',
      'tests-1',
    ]);
  });

  for (const page of pages) {
    it(`${path.relative(ROOT, page)}: every link reaches a file, and every #anchor a heading in it`, () => {
      const broken: string[] = [];
      for (const { target, anchor } of localLinks(page)) {
        if (!existsSync(target)) broken.push(`${path.relative(ROOT, target)} does not exist`);
        else if (anchor !== undefined && target.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).has(anchor))
          broken.push(`${path.relative(ROOT, target)} has no heading #${anchor}`);
      }
      expect(broken).toEqual([]);
    });
  }

  it('every page of docs/ is linked from the README', () => {
    const linked = new Set(localLinks(path.join(ROOT, 'README.md')).map((link) => link.target));
    expect(pages.filter((page) => !linked.has(page)).map((page) => path.relative(ROOT, page))).toEqual([]);
  });
});
