import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResponseStore } from '../../storage/response-store.ts';
import { atomicWriteFile } from './atomic-write-file.ts';

// Stored responses in the data folder, one file per response (`responses/<id>.json`), written
// atomically, so a store never rewrites the others. A file's modification time plus its TTL is
// its expiry (the service checks the expiry inside the value too): expired files are removed when
// read, and swept once an hour by the server. Ids are checked by the route before they get here;
// the pattern below makes sure no id can name a path outside the folder.

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export async function openFileResponseStore(folder: string, now: () => number = Date.now): Promise<ResponseStore & { sweep(): Promise<number> }> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const pathOf = (id: string) => {
    if (!SAFE_ID.test(id)) throw new Error('invalid stored response id');
    return join(folder, `${id}.json`);
  };

  async function expired(path: string, ttlSeconds: number | undefined): Promise<boolean> {
    if (ttlSeconds === undefined) return false;
    return (await stat(path)).mtimeMs + ttlSeconds * 1000 <= now();
  }

  return {
    async get(id) {
      if (!SAFE_ID.test(id)) return null;
      try {
        const text = await readFile(pathOf(id), 'utf8');
        const { ttlSeconds, value } = JSON.parse(text) as { ttlSeconds: number; value: string };
        if (await expired(pathOf(id), ttlSeconds)) {
          await rm(pathOf(id), { force: true });
          return null;
        }
        return value;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async put(id, value, ttlSeconds) {
      await atomicWriteFile(pathOf(id), JSON.stringify({ ttlSeconds, value }));
    },
    async delete(id) {
      if (!SAFE_ID.test(id)) return false;
      try {
        await stat(pathOf(id));
      } catch {
        return false;
      }
      await rm(pathOf(id), { force: true });
      return true;
    },
    /** Removes every expired file; returns how many. */
    async sweep() {
      let removed = 0;
      for (const name of await readdir(folder)) {
        if (!name.endsWith('.json')) continue;
        const path = join(folder, name);
        try {
          const { ttlSeconds } = JSON.parse(await readFile(path, 'utf8')) as { ttlSeconds: number };
          if (await expired(path, ttlSeconds)) {
            await rm(path, { force: true });
            removed++;
          }
        } catch {
          // A file being replaced right now, or not ours: left alone.
        }
      }
      return removed;
    },
  };
}
