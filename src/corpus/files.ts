import { type BigIntStats, type Dirent, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** A file found under the corpus folder: its path relative to it (always with '/') and its absolute path. */
export interface CorpusFile {
  relative: string;
  absolute: string;
}

/** Folders never read as part of a corpus: hidden ones (".git", ".cache") and installed packages. */
const IGNORED_DIRS = new Set(['node_modules']);

/** A subfolder the corpus walk enters: not hidden, not installed packages. */
function isCorpusFolder(entry: Dirent): boolean {
  return entry.isDirectory() && !entry.name.startsWith('.') && !IGNORED_DIRS.has(entry.name);
}

/** `dir` and every subfolder `listCorpusFiles` enters (an unreadable one is left out). */
export function listCorpusFolders(dir: string): string[] {
  const folders = [dir];
  for (let i = 0; i < folders.length; i++) {
    let entries: Dirent[];
    try {
      entries = readdirSync(folders[i]!, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) if (isCorpusFolder(entry)) folders.push(path.join(folders[i]!, entry.name));
  }
  return folders;
}

/**
 * Every file under `dir`, in subfolders too, sorted by relative path. Hidden files and folders are
 * left out, and symbolic links to folders are not followed (so a link cannot loop or leave the corpus).
 * `onFolder` is told each folder's relative path ('' for `dir`) before the folder is read.
 */
export function listCorpusFiles(dir: string, onFolder?: (relative: string) => void): CorpusFile[] {
  const files: CorpusFile[] = [];
  const walk = (absolute: string, relative: string) => {
    onFolder?.(relative); // before its entries are read
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const childAbsolute = path.join(absolute, entry.name);
      const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (isCorpusFolder(entry)) walk(childAbsolute, childRelative);
      } else {
        files.push({ relative: childRelative, absolute: childAbsolute });
      }
    }
  };
  walk(dir, '');
  return files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

/** Cheap change detection over the whole tree: relative names, sizes and modification times. */
export function corpusFingerprint(dir: string): string {
  let files: CorpusFile[];
  try {
    files = listCorpusFiles(dir);
  } catch {
    return '';
  }
  return files.map(({ relative, absolute }) => fileStamp(relative, statSync(absolute, { bigint: true, throwIfNoEntry: false }))).join('|');
}

/** One file's part of `corpusFingerprint` (loadCorpus builds the same string from the stats it takes anyway). */
export function fileStamp(relative: string, stat: BigIntStats | undefined): string {
  return stat ? `${relative}:${stat.size}:${stat.mtimeNs}` : relative;
}

/** The folder part of a document id ("bbc/2024/some-slug" → "bbc/2024"; "" at the top level). */
export function folderOf(id: string): string {
  const slash = id.lastIndexOf('/');
  return slash === -1 ? '' : id.slice(0, slash);
}
