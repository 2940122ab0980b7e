/** C0 controls other than tab and newline, DEL, and C1 controls: what a terminal acts on instead of showing. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text for a terminal: an article or a page may hold escape sequences (colours, cursor moves, OSC 8
 * hyperlinks, a title change), so each control character is shown instead: C0 and DEL as their
 * Unicode pictures (ESC → ␛, CR → ␍), C1 as `\x9b`. Newlines and tabs stay.
 */
export function visibleControls(text: string): string {
  return text.replace(CONTROLS, (char) => {
    const code = char.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `\\x${code.toString(16)}`;
  });
}
