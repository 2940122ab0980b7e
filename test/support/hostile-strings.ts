import fc from 'fast-check';

/** Pieces of Markdown Discord renders, and the characters around them, for arbitrary hostile strings. */
const PIECES = [
  '*', '**', '_', '__', '~~', '||', '`', '```', '```js\n', '\\', '\\\\', '[', ']', '(', ')', '](', '[a](https://a.example)', '[click here](https://evil.example)',
  '<', '>', '>>> ', '> ', '<@123>', '<@!123>', '<@&456>', '<#789>', '</ask:1>', '<:e:1>', '<a:e:1>', '<t:1700000000:R>', '<id:customize>', '<https://x.example>',
  '@everyone', '@here', '@', 'https://evil.example/x', 'steam://run/1', ':', '//', '#', '# ', '## ', '### ', '-# ', '- ', '* ', '+ ', '1. ', '2) ', '10.',
  '\n', '\r', '\r\n', '\u2028', '\u2029', ' ', '\t', '\u00a0', '\u200b', 'a', 'Z', '9', '.', '-', '!', '“', '😀', '\u0301',
];

/** Strings made mostly of Markdown pieces, with arbitrary Unicode mixed in. */
export function hostileString(maxPieces = 24): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) }), { maxLength: maxPieces })
    .map((pieces) => pieces.join(''));
}
