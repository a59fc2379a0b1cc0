import { readFileSync, rmSync, writeFileSync } from 'node:fs';

// One writer per data file. A second process on the same file refuses to start instead of
// interleaving its writes with ours. The lock holds the owner's pid, so a lock left by a crashed
// process is recognised and taken over.

export class FileLockedError extends Error {
  constructor(readonly path: string, readonly ownerPid: number) {
    super(`${path} is locked by another running process (pid ${ownerPid}). Stop it, or point PROVIDERS_FILE at another file.`);
    this.name = 'FileLockedError';
  }
}

export interface FileLock {
  release(): void;
}

export function acquireFileLock(targetPath: string): FileLock {
  const lockPath = `${targetPath}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const ownerPid = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(ownerPid) && ownerPid > 0 && ownerPid !== process.pid && isAlive(ownerPid)) {
        throw new FileLockedError(targetPath, ownerPid);
      }
      // Stale: its owner is gone.
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${targetPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
