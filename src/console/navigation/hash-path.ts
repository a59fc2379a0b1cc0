import { useEffect, useState } from 'preact/hooks';

// Each view has a URL of its own, as a hash route (#/keys): it works wherever the page's files are
// served from, the Node server and Workers static assets alike, with no server route per view,
// and a reload or a shared link lands on the same view.

/** "#/keys" (or "#keys", "#/keys/…") → "keys". */
export function readHashPath(hash: string): string {
  return hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
}

export function useHashPath(): string {
  const [path, setPath] = useState(() => readHashPath(location.hash));
  useEffect(() => {
    const follow = () => setPath(readHashPath(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return path;
}
