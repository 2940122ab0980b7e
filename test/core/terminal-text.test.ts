import { describe, expect, it } from 'vitest';
import { visibleControls } from '../../src/core/terminal-text.js';

describe('visibleControls', () => {
  it('shows every C0 and C1 control and DEL instead of sending it, keeping newlines and tabs', () => {
    expect(visibleControls('\x1b[31mred\x1b[0m')).toBe('␛[31mred␛[0m');
    expect(visibleControls('\x1b]8;;https://evil.example\x07click\x1b]8;;\x07')).toBe('␛]8;;https://evil.example␇click␛]8;;␇');
    expect(visibleControls('a\rb\bc\x00\x7f\x9b2J\x85')).toBe('a␍b␈c␀␡\\x9b2J\\x85');
    expect(visibleControls('line one\n\tline two')).toBe('line one\n\tline two');
  });

  it('leaves no control character other than newline and tab in any string', () => {
    const every = Array.from({ length: 0xa0 }, (_, code) => String.fromCharCode(code)).join('');
    expect(visibleControls(every).replace(/[\n\t]/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});
