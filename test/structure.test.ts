import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The size limits of src/ (issue 21): no file over 300 lines, no function over 60, so no file or
 * function has to be scrolled through. A file that has a reason to be longer says it in a comment
 * `// size: <why>`, which lifts both limits for that file.
 */
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 60;
const SRC = path.resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** `name (n lines)` of every function, method, constructor, accessor or arrow longer than `max` lines. */
function longFunctions(fileName: string, text: string, max: number): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const long: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const lines = file.getLineAndCharacterOfPosition(node.getEnd()).line - file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      const name =
        node.name && ts.isIdentifier(node.name)
          ? node.name.text
          : `function at line ${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      if (lines > max) long.push(`${name} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return long;
}

/** Every limit a file of src/ breaks without saying why. */
function oversized(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  if (/^\s*\/\/ size: \S/m.test(text)) return [];
  const where = path.relative(path.dirname(SRC), file);
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const problems = lines > MAX_FILE_LINES ? [`${where}: ${lines} lines`] : [];
  return [...problems, ...longFunctions(file, text, MAX_FUNCTION_LINES).map((fn) => `${where}: ${fn}`)];
}

describe('size limits of src/', () => {
  it(`has no file over ${MAX_FILE_LINES} lines and no function over ${MAX_FUNCTION_LINES}, unless a "// size:" comment says why`, () => {
    expect(sourceFiles(SRC).flatMap(oversized)).toEqual([]);
  });

  it('measures functions by their lines, arrows and methods included', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  x += ${i};`).join('\n');
    const text = `function short() {\n${body(10)}\n}\nclass A {\n  long() {\n${body(70)}\n  }\n}\nconst arrow = () => {\n${body(61)}\n};\n`;
    expect(longFunctions('x.ts', text, MAX_FUNCTION_LINES)).toEqual(['long (72 lines)', 'function at line 87 (63 lines)']);
  });
});
