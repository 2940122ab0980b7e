import { spawnSync } from 'node:child_process';
import { statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './helpers.js';

export interface SmallDisk {
  dir: string;
  /** Writes a file until the disk has no space left, or only `leaveBytes`. */
  fill(leaveBytes?: number): void;
  remountReadOnly(): void;
  unmount(): void;
}

/**
 * A 1 MB tmpfs, to test a full or read-only disk for real. Mounting needs root (or CAP_SYS_ADMIN);
 * without it this returns why, so the caller can skip visibly (but never on CI).
 */
export function mountSmallDisk(): SmallDisk | { reason: string } {
  const dir = tempDir('small-disk-');
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.status !== 0) return { reason: `cannot mount a tmpfs here (${(mount.stderr || mount.error?.message || 'unknown').trim()})` };
  const run = (args: string[]) => {
    const result = spawnSync('mount', args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`mount ${args.join(' ')} failed: ${result.stderr}`);
  };
  return {
    dir,
    fill(leaveBytes = 0) {
      const { bavail, bsize } = statfsSync(dir);
      try {
        writeFileSync(path.join(dir, 'filler'), Buffer.alloc(leaveBytes > 0 ? bavail * bsize - leaveBytes : 2 * 1024 * 1024, 1));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        return;
      }
      if (leaveBytes === 0) throw new Error('the small disk did not fill up');
    },
    remountReadOnly: () => run(['-o', 'remount,ro', dir]),
    unmount: () => void spawnSync('umount', [dir]),
  };
}
