import { describe, expect, it } from 'vitest';
import { hasCredentials, plainHttpUrl, withoutCredentials } from '../../src/core/urls.js';

describe('URLs with credentials', () => {
  it('are recognised, and refused where a URL is accepted', () => {
    expect(hasCredentials(new URL('http://user:pass@news.example/x'))).toBe(true);
    expect(hasCredentials(new URL('http://user@news.example/x'))).toBe(true);
    expect(hasCredentials(new URL('http://:pass@news.example/x'))).toBe(true);
    expect(hasCredentials(new URL('http://news.example/x?u=a@b'))).toBe(false);
    expect(plainHttpUrl('http://user:pass@news.example/x')).toBeNull();
    expect(plainHttpUrl('/x', 'https://news.example/a')?.href).toBe('https://news.example/x');
    expect(plainHttpUrl('javascript:alert(1)')).toBeNull();
    expect(plainHttpUrl('not a url')).toBeNull();
  });

  it('are shown without them in messages and logs, parseable or not', () => {
    expect(withoutCredentials('http://user:pass@news.example/x')).toBe('http://***@news.example/x');
    expect(withoutCredentials('https://token@news.example/')).toBe('https://***@news.example/');
    expect(withoutCredentials('http://user:pass@[bad/x')).toBe('http://***@[bad/x');
    expect(withoutCredentials('https://news.example/x?mail=a@b')).toBe('https://news.example/x?mail=a@b');
    expect(withoutCredentials('/local/file.html')).toBe('/local/file.html');
  });
});
