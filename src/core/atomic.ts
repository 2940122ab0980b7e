import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from './errors.js';

/** What the operator can fix about a failed write: the disk, not the program. */
const DISK_PROBLEMS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** A write the disk refused (full, read-only, no permission); names the path, exits 2 in the CLI. */
export class IndexWriteError extends UserError {
  override name = 'IndexWriteError';
  constructor(
    readonly path: string,
    readonly code: string,
  ) {
    super(`cannot write ${path}: ${DISK_PROBLEMS[code] ?? code} (${code})`);
  }
}

/**
 * An IndexWriteError for a disk problem, naming `target` (default: the path the error names, else
 * `fallbackPath`); any other error unchanged.
 */
export function asWriteError(error: unknown, fallbackPath: string, target?: string): unknown {
  const { code, path: failed } = (error ?? {}) as NodeJS.ErrnoException;
  if (!code || !(code in DISK_PROBLEMS) || error instanceof IndexWriteError) return error;
  return new IndexWriteError(target ?? failed ?? fallbackPath, code);
}

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
    throw asWriteError(error, target, target); // the file meant, not its temporary name
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
