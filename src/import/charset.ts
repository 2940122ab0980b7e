import { ImportError } from './errors.js';

/**
 * Bytes of a page or feed as text, the way browsers pick the encoding: a byte-order mark, else the
 * charset the server declared, else the one the document declares (`<meta charset>`, the XML
 * declaration), else UTF-8. Bytes that are not valid in that encoding are a `bad-charset` refusal,
 * never replacement characters or mojibake written into the corpus.
 */
export function decodeHtml(body: Buffer, declared: string | null, label: string): string {
  return decode(body, declared, label, metaCharset(body), 'the page');
}

export function decodeXml(body: Buffer, declared: string | null, label: string): string {
  return decode(body, declared, label, xmlEncoding(body), 'the feed');
}

/** Where the declarations are looked for: browsers read the first 1024 bytes; pages put theirs a little later at times. */
const PRESCAN_BYTES = 4096;

function decode(body: Buffer, declared: string | null, label: string, inDocument: string | null, what: string): string {
  const choice = byteOrderMark(body) ??
    fromServer(body, declared) ??
    fromDocument(inDocument, what) ?? { encoding: 'utf-8', source: 'no charset was declared, so UTF-8' };
  const text = choice.encoding === 'windows-1252' ? windows1252(body) : strictDecode(body, choice.encoding);
  if (text === null)
    throw new ImportError('bad-charset', `${label} is not valid ${choice.encoding} (${choice.source}); its text would be garbled`);
  return text;
}

function strictDecode(body: Buffer, encoding: string): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(body);
  } catch {
    return null;
  }
}

/** windows-1252's 0x80–0x9F; "?" marks the five bytes it leaves undefined. */
const WINDOWS_1252_HIGH = '€?‚ƒ„…†‡ˆ‰Š‹Œ?Ž??‘’“”•–—˜™š›œ?žŸ';

/**
 * windows-1252 (what "latin1" and "iso-8859-1" labels mean on the web) by hand: Node 20's TextDecoder
 * reads 0x80–0x9F as C1 control characters instead of “ ” € — …. An undefined byte is not text.
 */
function windows1252(body: Buffer): string | null {
  let undefinedByte = false;
  const text = body.toString('latin1').replace(/[\u0080-\u009f]/g, (c) => {
    const mapped = WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!;
    if (mapped === '?') undefinedByte = true;
    return mapped;
  });
  return undefinedByte ? null : text;
}

interface Choice {
  encoding: string;
  source: string;
}

function byteOrderMark(body: Buffer): Choice | null {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return { encoding: 'utf-8', source: 'its byte-order mark says so' };
  if (body[0] === 0xfe && body[1] === 0xff) return { encoding: 'utf-16be', source: 'its byte-order mark says so' };
  if (body[0] === 0xff && body[1] === 0xfe) return { encoding: 'utf-16le', source: 'its byte-order mark says so' };
  return null;
}

function fromServer(body: Buffer, declared: string | null): Choice | null {
  const encoding = known(declared);
  if (!encoding) return null;
  // The markup of a real UTF-16 document is full of zero bytes; without any, the label is wrong (browsers would show garbage).
  if (encoding.startsWith('utf-16') && !body.subarray(0, PRESCAN_BYTES).includes(0)) return null;
  return { encoding, source: `the server declared charset=${declared}` };
}

function fromDocument(declared: string | null, what: string): Choice | null {
  const encoding = known(declared);
  if (!encoding) return null;
  // A document that says UTF-16 about itself in ASCII is not UTF-16 (the HTML standard reads it as UTF-8).
  return encoding.startsWith('utf-16')
    ? { encoding: 'utf-8', source: `${what} declares ${declared}, which is read as UTF-8` }
    : { encoding, source: `${what} declares charset ${declared}` };
}

/** The encoding a label names ("latin1" → "windows-1252"), or null for none or an unknown one. */
function known(label: string | null): string | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return null;
  }
}

function metaCharset(body: Buffer): string | null {
  const head = body.subarray(0, PRESCAN_BYTES).toString('latin1');
  return /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1] ?? null;
}

function xmlEncoding(body: Buffer): string | null {
  const head = body.subarray(0, PRESCAN_BYTES).toString('latin1');
  return /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ?? null;
}
