import type { KvNamespace } from '../../src/adapter/cloudflare-workers/worker-bindings.ts';

// A fresh, empty view of a real KV namespace: every key lives under a random prefix, so a test
// that needs "a namespace nobody has written to yet" gets one without a binding per test.

export function freshKvNamespace(kv: KvNamespace): KvNamespace {
  const prefix = `${crypto.randomUUID()}/`;
  const strip = (name: string) => name.slice(prefix.length);
  return {
    get: ((key: string | string[], type: 'text') => {
      if (typeof key === 'string') return kv.get(prefix + key, type);
      return kv.get(key.map((name) => prefix + name), type).then((values) => new Map([...values].map(([name, value]) => [strip(name), value])));
    }) as KvNamespace['get'],
    put: (key, value, options) => kv.put(prefix + key, value, options),
    delete: (key) => kv.delete(prefix + key),
    async list(options) {
      const page = await kv.list({ ...options, prefix: prefix + options.prefix });
      return { ...page, keys: page.keys.map((key) => ({ ...key, name: strip(key.name) })) };
    },
  };
}
