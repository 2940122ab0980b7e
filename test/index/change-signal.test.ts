import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/corpus.js';
import { CorpusChanges, manifestStamp } from '../../src/index/change-signal.js';
import { tempDir } from '../support/helpers.js';

describe('change signals', () => {
  it('see edits, new files and new folders anywhere in the corpus, and nothing when nothing changed', async () => {
    const corpus = tempDir('changes-');
    mkdirSync(path.join(corpus, 'world'));
    writeFileSync(path.join(corpus, 'world', 'a.txt'), 'A\n\nFirst.');
    const changes = new CorpusChanges(corpus);
    const reload = () => {
      changes.loading();
      changes.loaded(loadCorpus(corpus).fingerprint!);
    };
    reload();
    expect(await changes.changed()).toBe(false);

    writeFileSync(path.join(corpus, 'world', 'a.txt'), 'A\n\nFirst, edited.');
    expect(await changes.changed()).toBe(true);
    reload();
    expect(await changes.changed()).toBe(false);

    mkdirSync(path.join(corpus, 'sport'));
    expect(await changes.changed()).toBe(false); // an empty folder holds no documents
    writeFileSync(path.join(corpus, 'sport', 'b.txt'), 'B\n\nSecond.'); // in a folder created after the start
    expect(await changes.changed()).toBe(true);
    reload();

    writeFileSync(path.join(corpus, '.hidden.swp'), 'editor state');
    expect(await changes.changed()).toBe(false);
    changes.close();
  });

  it('tell a new manifest from the old one by one stat', () => {
    const index = tempDir('stamp-');
    expect(manifestStamp(index)).toBeNull();
    writeFileSync(path.join(index, 'manifest.json'), '{"generation":"gen-a"}');
    const first = manifestStamp(index);
    expect(manifestStamp(index)).toBe(first);
    writeFileSync(path.join(index, 'next.json'), '{"generation":"gen-b"}');
    renameSync(path.join(index, 'next.json'), path.join(index, 'manifest.json'));
    expect(manifestStamp(index)).not.toBe(first);
  });
});
