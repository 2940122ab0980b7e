import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareUpload } from '../../src/import/upload.js';
import { tempDir } from '../support/helpers.js';
import { importRefusal } from '../support/import-refusal.js';
import { FIXTURES } from '../support/news-server.js';

describe('prepareUpload', () => {
  it('names an empty or element-less .html instead of failing', () => {
    const corpus = tempDir('upload-');
    expect(importRefusal(() => prepareUpload('empty.html', Buffer.alloc(0), corpus))).toMatch(
      /^no-article: no article text found in empty\.html/,
    );
    expect(importRefusal(() => prepareUpload('note.html', Buffer.from('<!-- moved -->'), corpus))).toMatch(/^no-article: /);
  });

  it('reads a web page in the charset it declares, and refuses bytes its charset does not allow', () => {
    const corpus = tempDir('upload-');
    const page = readFileSync(path.join(FIXTURES, 'wind-farm.html'), 'utf8')
      .replace('charset=utf-8', 'charset=windows-1252')
      .replace('"We are not against', '\x93We are not against')
      .replace('turbines should go,"', 'turbines should go,\x94');
    const prepared = prepareUpload('wind.html', Buffer.from(page, 'latin1'), corpus);
    expect(prepared.data).toContain(
      '“We are not against renewable energy, but nobody asked us where the turbines should go,” said Karin Dahl',
    );
    expect(importRefusal(() => prepareUpload('wind.html', Buffer.from(page, 'latin1'), corpus, { charset: 'utf-8' }))).toBe(
      'bad-charset: wind.html is not valid utf-8 (the server declared charset=utf-8); its text would be garbled',
    );
  });
});
