import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A unique sibling name for temporary files and folders, so a crash leaves only debris, never a half file. */
export function temporarySibling(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}-${Date.now().toString(36)}`);
}

/** Write a file so that readers see either the old content or the new, never a mix (temp file, fsync, rename). */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  const temp = temporarySibling(target);
  try {
    writeFileSync(temp, data);
    fsyncPath(temp);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function fsyncPath(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
