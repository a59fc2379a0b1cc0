import { stat } from 'node:fs/promises';
import { lock as lockFile } from 'proper-lockfile';
import type { Logger } from '../../logging/logger.ts';

// One writer per data file: a second process on the same file refuses to start instead of
// interleaving its writes with ours.
//
// proper-lockfile, not a pid in a file: a pid names a process only inside one PID namespace, and
// in Docker the server is PID 1 in every container, so two containers on one volume each took the
// other's lock for their own. proper-lockfile's lock is a directory made with mkdir (atomic on
// every local filesystem), and its owner proves it is alive by refreshing the directory's mtime
// every LOCK_STALE_MS / 2; a lock not refreshed for LOCK_STALE_MS belongs to a crashed process and
// may be taken over. Nothing in it depends on pids, host names or a shared kernel, only on the
// clocks of the processes agreeing to within a few seconds (one host, or NTP).
//
// Every process must use the same stale time, or one would take over a live lock of another:
// that is why it is a constant, not a setting.

export const LOCK_STALE_MS = 10_000;
/** A restart after a crash waits this long for the dead owner's lock to go stale. */
export const LOCK_WAIT_MS = LOCK_STALE_MS + 5_000;
const RETRY_INTERVAL_MS = 500;

export class FileLockedError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path} is locked by another running process (${reason}). Stop it, or point PROVIDERS_FILE at another file.`);
    this.name = 'FileLockedError';
  }
}

export interface FileLockOptions {
  logger: Pick<Logger, 'warn' | 'error'>;
  /** How long to wait for a stale lock; LOCK_WAIT_MS unless a test wants to see a refusal sooner. */
  waitMs?: number;
}

export interface FileLock {
  /** False once the lock was lost and another process holds it: nothing may write the file then. */
  readonly held: boolean;
  /** Settles if the lock is lost for good; never settles otherwise. */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

export async function acquireFileLock(targetPath: string, options: FileLockOptions): Promise<FileLock> {
  const lockPath = `${targetPath}.lock`;
  const waitMs = options.waitMs ?? LOCK_WAIT_MS;
  const { logger } = options;
  let state: 'held' | 'released' | 'lost' = 'held';
  let markLost!: () => void;
  const lost = new Promise<void>((resolve) => (markLost = resolve));
  let release: () => Promise<void>;
  // A function, not a comparison, because the state changes across awaits.
  const isHeld = () => state === 'held';

  const take = (retryForMs: number) =>
    lockFile(targetPath, {
      lockfilePath: lockPath,
      // The providers file does not exist before the first write; realpath would fail on it.
      realpath: false,
      stale: LOCK_STALE_MS,
      retries: retryForMs > 0
        ? { retries: Math.ceil(retryForMs / RETRY_INTERVAL_MS), factor: 1, minTimeout: RETRY_INTERVAL_MS, maxTimeout: RETRY_INTERVAL_MS, maxRetryTime: retryForMs }
        : 0,
      // The library's default throws from a timer, which would crash the server.
      onCompromised: (error) => void takeBack(error),
    });

  // Compromised: the directory was removed, or its mtime is not the one we wrote (someone took
  // it over, or this process stalled past the stale time). If nobody else holds it now, taking
  // it again is safe; otherwise another process may be writing, and this one must stop.
  async function takeBack(error: Error): Promise<void> {
    if (state !== 'held') return;
    logger.error('lost the lock on the providers file', { path: lockPath, reason: error.message });
    try {
      release = await take(0);
    } catch (retakeError) {
      if (!isHeld()) return;
      state = 'lost';
      logger.error('another process holds the providers file lock now: this process stops writing it', { path: lockPath, reason: errorCode(retakeError) ?? 'error' });
      markLost();
      return;
    }
    // release() may have run while this waited: then the lock just taken back is not wanted.
    if (!isHeld()) await release().catch(() => undefined);
    else logger.warn('took the lock on the providers file back; no other process held it', { path: lockPath });
  }

  try {
    release = await take(0);
  } catch (error) {
    if (errorCode(error) !== 'ELOCKED' || waitMs <= 0 || (await isLegacyLockFile(lockPath))) throw await explain(error, targetPath, lockPath, 0);
    logger.warn('the providers file is locked; waiting in case the lock was left by a crashed process', { path: lockPath, waitSeconds: waitMs / 1000 });
    try {
      release = await take(waitMs);
    } catch (retryError) {
      throw await explain(retryError, targetPath, lockPath, waitMs);
    }
  }

  return {
    get held() {
      return isHeld();
    },
    lost,
    async release() {
      if (state !== 'held') return;
      state = 'released';
      // ERELEASED: the lock was compromised and not yet taken back; nothing of ours is left.
      await release().catch((error: unknown) => {
        if (errorCode(error) !== 'ERELEASED') throw error;
      });
    },
  };
}

async function explain(error: unknown, targetPath: string, lockPath: string, waitedMs: number): Promise<Error> {
  if (await isLegacyLockFile(lockPath)) return new FileLockedError(targetPath, `${lockPath} is a lock file written by an earlier version of the gateway; if no gateway runs on this file, delete it`);
  if (errorCode(error) !== 'ELOCKED') return error instanceof Error ? error : new Error(String(error));
  return new FileLockedError(
    targetPath,
    waitedMs > 0
      ? `its owner kept ${lockPath} fresh for the ${waitedMs / 1000} s this process waited; a crashed process's lock expires ${LOCK_STALE_MS / 1000} s after the crash`
      : `${lockPath} is held`,
  );
}

/** Versions before proper-lockfile wrote a pid into a plain file at the same path. */
function isLegacyLockFile(lockPath: string): Promise<boolean> {
  return stat(lockPath).then((found) => found.isFile(), () => false);
}
