/**
 * "Did anything change?" in constant time, so that checking before every question costs the same
 * with 20,000 corpus files as with 5: the index changes only by replacing its manifest (one stat
 * tells), and the corpus folder is watched, so it is only walked after the watcher saw a change.
 */
import { type FSWatcher, statSync, watch } from 'node:fs';
import path from 'node:path';
import { corpusFingerprint, listCorpusFolders } from '../corpus/files.js';
import { MANIFEST } from './manifest.js';

/** Identity of the manifest file as it is now (a new generation is a new file: renamed into place). */
export function manifestStamp(indexDir: string): string | null {
  const stat = statSync(path.join(indexDir, MANIFEST), { throwIfNoEntry: false });
  return stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : null;
}

/**
 * Tracks whether the corpus differs from the state last loaded. Every folder of the corpus is
 * watched (one non-recursive, unreferenced watcher each: Node 20's recursive watcher on Linux keeps
 * a process alive), and the folder is walked only after a watcher fired; where the platform cannot
 * watch (inotify limits), it is walked on every check.
 */
export class CorpusChanges {
  private dirty = false;
  private readonly watchers = new Map<string, FSWatcher>();
  private watching = true;
  private fingerprint = '';

  constructor(private readonly corpusDir: string) {}

  /**
   * Call before reading the corpus: a change from here on counts as one since the load. Without
   * `watch` the folders are not listed now (a start: listing them reads every folder, 54,240 entries
   * at 100,000 chunks): the load is then `loaded` as not verified, and the next `changed` starts the
   * watchers and walks the folder.
   */
  loading(watch = true): void {
    this.dirty = false;
    if (watch) this.watchFolders(); // the first time, or folders created since
  }

  /**
   * Call after reading it, with the fingerprint of what was read (`corpus.fingerprint`: the walk is
   * not repeated here). Not `verified` (taken from the corpus cache without a stat per file): the
   * next `changed` walks the folder.
   */
  loaded(fingerprint: string, verified = true): void {
    this.fingerprint = fingerprint;
    if (!verified) this.dirty = true;
  }

  /** True when the corpus differs from the state last loaded (a failed load keeps it true). */
  async changed(): Promise<boolean> {
    // Let pending watcher events in first: the event loop reads them in the poll phase that lies
    // between two check phases (so a write just before this call is never missed).
    if (this.watching && !this.dirty) await new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
    if (this.watching && !this.dirty) return false;
    this.watchFolders();
    if (corpusFingerprint(this.corpusDir) !== this.fingerprint) return true;
    this.dirty = false; // an event that changed nothing we read (say, a hidden editor file)
    return false;
  }

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    this.watching = false;
  }

  private watchFolders(): void {
    if (!this.watching) return;
    for (const dir of listCorpusFolders(this.corpusDir)) {
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, () => (this.dirty = true));
        watcher.on('error', () => {
          // The folder went away (its parent's watcher saw that) or cannot be watched any more.
          watcher.close();
          this.watchers.delete(dir);
          this.dirty = true;
        });
        watcher.unref();
        this.watchers.set(dir, watcher);
      } catch {
        // Out of inotify watches, say: fall back to walking the folder on every check.
        this.close();
        return;
      }
    }
  }
}
