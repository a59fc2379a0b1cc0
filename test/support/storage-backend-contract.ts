import type { Store } from 'hono-rate-limiter';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredAccessKey } from '../../src/storage/access-key-store.ts';
import { DuplicateRouteNameError, type StoredRoute } from '../../src/storage/model-route-store.ts';
import { DuplicateNameError, DuplicateRecordError } from '../../src/storage/duplicate-record-error.ts';
import type { StoredProvider } from '../../src/storage/provider-store.ts';
import type { OwnedStorageBackend } from '../../src/storage/storage-backend.ts';
import { HOUR_MS, type UsageRecord } from '../../src/storage/usage-ledger.ts';
import { ValidationError } from '../../src/errors/api-error.ts';
import { encodeCursor } from '../../src/logs/log-cursor.ts';
import type { LoggedRecord, LogSelection } from '../../src/logs/request-log.ts';
import { toLogRow } from '../../src/logs/to-log-row.ts';

// What every storage backend must do, run against each one: the JSON files and Redis in the Node
// project, KV with Durable Objects in the workers project. Only Web APIs here, since it runs
// inside workerd too. Each test gets a backend on empty storage of its own.

export type OpenEmptyBackend = () => Promise<OwnedStorageBackend>;

const T = Date.UTC(2026, 11, 1, 10, 0, 0);
const MINUTE = 60_000;

let sequence = 0;
function provider(name: string, changes: Partial<StoredProvider> = {}): StoredProvider {
  sequence++;
  return {
    id: `provider-${sequence}-${crypto.randomUUID()}`,
    name,
    baseUrl: 'https://api.example.com/v1',
    routingMethod: 'openai',
    customHeaders: { 'X-Title': 'contract' },
    encryptedApiKey: { v: 1, iv: 'aXZpdml2aXZpdml2', data: `ZGF0YQ${sequence % 10}=`, tag: 'dGFndGFndGFndGFndGFnIQ==' },
    apiKeyHint: '…1234',
    createdAt: new Date(T + sequence).toISOString(),
    updatedAt: new Date(T + sequence).toISOString(),
    ...changes,
  };
}

function accessKey(changes: Partial<StoredAccessKey> = {}): StoredAccessKey {
  sequence++;
  return {
    id: `key-${sequence}-${crypto.randomUUID()}`,
    name: `key ${sequence}`,
    secretHash: (sequence.toString(16).padStart(8, '0') + crypto.randomUUID().replaceAll('-', '')).padEnd(64, 'a').slice(0, 64),
    keyHint: 'gwk_…abcd',
    providers: null,
    models: null,
    rateLimit: null,
    budget: { tokens: 1000, period: 'day' },
    expiresAt: null,
    disabled: false,
    createdAt: new Date(T + sequence).toISOString(),
    updatedAt: new Date(T + sequence).toISOString(),
    ...changes,
  };
}

interface Kinds {
  cachedPromptTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  costUsd?: number | null;
}

function route(name: string, changes: Partial<StoredRoute> = {}): StoredRoute {
  sequence++;
  return {
    id: `route-${sequence}-${crypto.randomUUID()}`,
    name,
    targets: [{ model: 'openai-1/gpt-4o', weight: 3 }, { model: 'openai-2/gpt-4o', weight: 1 }],
    strategy: 'weighted',
    createdAt: new Date(T + sequence).toISOString(),
    updatedAt: new Date(T + sequence).toISOString(),
    ...changes,
  };
}

function usageRecord(time: number, keyId: string | null, providerId: string, model: string, promptTokens: number, completionTokens: number, outcome: number | string, kinds: Kinds = {}): UsageRecord {
  return { time, keyId, providerId, model, promptTokens, completionTokens, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, ...kinds, outcome, latencyMs: 10, timeToFirstTokenMs: null, cached: false };
}

/** A GET /usage row: requests, errors, prompt and completion tokens, then cached, cache-write and reasoning tokens, cost and unpriced requests. */
function row(groups: Record<string, string | null>, ...[requests, errors, promptTokens, completionTokens, cachedPromptTokens, cacheWriteTokens, reasoningTokens, costUsd, unpricedRequests]: number[]) {
  return { ...groups, requests, errors, promptTokens, completionTokens, cachedPromptTokens, cacheWriteTokens, reasoningTokens, costUsd, unpricedRequests };
}

const byId = <T extends { id: string }>(records: T[]) => [...records].sort((a, b) => a.id.localeCompare(b.id));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeStorageBackendContract(name: string, openEmpty: OpenEmptyBackend): void {
  describe(`${name}: storage backend contract`, () => {
    const opened: OwnedStorageBackend[] = [];
    const stores: Store[] = [];
    afterEach(async () => {
      for (const store of stores.splice(0)) store.shutdown?.();
      for (const backend of opened.splice(0)) await backend.close();
    });
    async function open(): Promise<OwnedStorageBackend> {
      const backend = await openEmpty();
      opened.push(backend);
      return backend;
    }

    describe('providers', () => {
      it('creates, reads back exactly what it stored, and refuses an id it holds', async () => {
        const { providers } = await open();
        const stored = provider('Alpha');
        expect(await providers.create(stored)).toEqual(stored);
        expect(await providers.get(stored.id)).toEqual(stored);
        await expect(providers.create({ ...stored, name: 'Other' })).rejects.toBeInstanceOf(DuplicateRecordError);
        expect(await providers.list()).toEqual([stored]);
        expect(await providers.get('no-such-id')).toBeNull();
      });

      it('keeps a provider\'s pricing as stored, and an update replaces or removes it', async () => {
        const { providers } = await open();
        const pricing = { 'gpt-4o*': { input: 2.5, output: 10, cachedInput: 1.25 }, 'claude-*': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 } };
        const stored = await providers.create(provider('Priced', { pricing }));
        expect(await providers.get(stored.id)).toEqual({ ...stored, pricing });
        const changed = { '*': { input: 0.1, output: 0.2 } };
        expect((await providers.update(stored.id, { pricing: changed }))!.pricing).toEqual(changed);
        expect((await providers.get(stored.id))!.pricing).toEqual(changed);
        await providers.update(stored.id, { pricing: undefined });
        expect((await providers.get(stored.id))!.pricing).toBeUndefined();
      });

      it('keeps encrypted custom header values as stored, through create, update and putMany', async () => {
        const { providers } = await open();
        const sealed = { v: 1 as const, iv: 'aGVhZGVyaXZoZWFk', data: 'c2VhbGVk', tag: 'dGFndGFndGFndGFndGFnIQ==' };
        const stored = await providers.create(provider('Sealed', { customHeaders: {}, encryptedCustomHeaders: sealed }));
        expect(await providers.get(stored.id)).toEqual({ ...stored, encryptedCustomHeaders: sealed });
        const resealed = { ...sealed, data: 'cmVzZWFsZWQ=' };
        expect(await providers.update(stored.id, { encryptedCustomHeaders: resealed })).toEqual({ ...stored, encryptedCustomHeaders: resealed });
        await providers.putMany([{ ...stored, encryptedCustomHeaders: sealed }]);
        expect((await providers.list())[0]!.encryptedCustomHeaders).toEqual(sealed);
      });

      it('refuses a name another provider holds, in any case, on create, update and putMany', async () => {
        const { providers } = await open();
        const alpha = await providers.create(provider('Alpha'));
        const beta = await providers.create(provider('Beta'));
        await expect(providers.create(provider('ALPHA'))).rejects.toBeInstanceOf(DuplicateNameError);
        await expect(providers.update(beta.id, { name: 'alpha' })).rejects.toBeInstanceOf(DuplicateNameError);
        const fresh = provider('Gamma');
        await expect(providers.putMany([fresh, provider('aLpHa')])).rejects.toBeInstanceOf(DuplicateNameError);
        await expect(providers.putMany([provider('Delta'), provider('delta')])).rejects.toBeInstanceOf(DuplicateNameError);
        // Nothing of a refused write was stored.
        expect(byId(await providers.list())).toEqual(byId([alpha, beta]));
        // A provider may change the case of its own name.
        expect((await providers.update(alpha.id, { name: 'ALPHA' }))!.name).toBe('ALPHA');
      });

      it('updates by merging into the stored record, keeping id and createdAt; null for an unknown id', async () => {
        const { providers } = await open();
        const stored = await providers.create(provider('Alpha'));
        const updated = await providers.update(stored.id, { name: 'Renamed', baseUrl: 'https://other.example.com/v1', updatedAt: new Date(T + HOUR_MS).toISOString() });
        expect(updated).toEqual({ ...stored, name: 'Renamed', baseUrl: 'https://other.example.com/v1', updatedAt: new Date(T + HOUR_MS).toISOString() });
        expect(await providers.get(stored.id)).toEqual(updated);
        expect(await providers.update('no-such-id', { name: 'x' })).toBeNull();
        // The old name is free again.
        const reuse = await providers.create(provider('alpha'));
        expect(await providers.get(reuse.id)).toEqual(reuse);
      });

      it('deletes once: true, then false; the name is free again', async () => {
        const { providers } = await open();
        const stored = await providers.create(provider('Alpha'));
        expect(await providers.delete(stored.id)).toBe(true);
        expect(await providers.delete(stored.id)).toBe(false);
        expect(await providers.get(stored.id)).toBeNull();
        expect(await providers.list()).toEqual([]);
        const again = await providers.create(provider('ALPHA'));
        expect(await providers.list()).toEqual([again]);
      });

      it('putMany creates new ids and replaces known ones; names may move within the batch', async () => {
        const { providers } = await open();
        const alpha = await providers.create(provider('Alpha'));
        const beta = await providers.create(provider('Beta'));
        const swappedAlpha = { ...alpha, name: 'Beta', apiKeyHint: '…9999', updatedAt: new Date(T + HOUR_MS).toISOString() };
        const swappedBeta = { ...beta, name: 'Alpha' };
        const created = provider('Gamma');
        await providers.putMany([swappedAlpha, swappedBeta, created]);
        expect(byId(await providers.list())).toEqual(byId([swappedAlpha, swappedBeta, created]));
        expect(await providers.get(alpha.id)).toEqual(swappedAlpha);
        await expect(providers.create(provider('gamma'))).rejects.toBeInstanceOf(DuplicateNameError);
        await providers.putMany([]);
        expect(await providers.list()).toHaveLength(3);
      });
    });

    describe('access keys', () => {
      it('creates, finds by id and by hash, and refuses an id or a hash it holds', async () => {
        const { accessKeys } = await open();
        const stored = accessKey();
        expect(await accessKeys.create(stored)).toEqual(stored);
        expect(await accessKeys.get(stored.id)).toEqual(stored);
        expect(await accessKeys.findByHash(stored.secretHash)).toEqual(stored);
        expect(await accessKeys.findByHash('f'.repeat(64))).toBeNull();
        await expect(accessKeys.create({ ...stored, secretHash: 'e'.repeat(64) })).rejects.toBeInstanceOf(DuplicateRecordError);
        await expect(accessKeys.create(accessKey({ secretHash: stored.secretHash }))).rejects.toBeInstanceOf(DuplicateRecordError);
        expect(await accessKeys.list()).toEqual([stored]);
      });

      it('updates by merging, keeping id, hash and createdAt; null for an unknown id', async () => {
        const { accessKeys } = await open();
        const stored = await accessKeys.create(accessKey());
        const updated = await accessKeys.update(stored.id, { disabled: true, name: 'renamed', budget: null });
        expect(updated).toEqual({ ...stored, disabled: true, name: 'renamed', budget: null });
        expect(await accessKeys.findByHash(stored.secretHash)).toEqual(updated);
        expect(await accessKeys.update('no-such-id', { disabled: true })).toBeNull();
      });

      it('deletes once, and the hash finds nothing afterwards', async () => {
        const { accessKeys } = await open();
        const stored = await accessKeys.create(accessKey());
        const other = await accessKeys.create(accessKey());
        expect(await accessKeys.delete(stored.id)).toBe(true);
        expect(await accessKeys.delete(stored.id)).toBe(false);
        expect(await accessKeys.findByHash(stored.secretHash)).toBeNull();
        expect(await accessKeys.get(stored.id)).toBeNull();
        expect(await accessKeys.list()).toEqual([other]);
      });
    });

    describe('routes', () => {
      it('creates, reads back exactly what it stored, finds by name in any case, and refuses an id it holds', async () => {
        const { routes } = await open();
        const stored = route('GPT-4o');
        expect(await routes.create(stored)).toEqual(stored);
        expect(await routes.get(stored.id)).toEqual(stored);
        expect(await routes.findByName('gpt-4O')).toEqual(stored);
        expect(await routes.findByName('gpt-4')).toBeNull();
        expect(await routes.get('no-such-id')).toBeNull();
        await expect(routes.create({ ...stored, name: 'other' })).rejects.toBeInstanceOf(DuplicateRecordError);
        expect(await routes.list()).toEqual([stored]);
      });

      it('refuses a name another route holds, in any case, on create and update', async () => {
        const { routes } = await open();
        const alpha = await routes.create(route('alpha'));
        const beta = await routes.create(route('beta'));
        await expect(routes.create(route('ALPHA'))).rejects.toBeInstanceOf(DuplicateRouteNameError);
        await expect(routes.update(beta.id, { name: 'Alpha' })).rejects.toBeInstanceOf(DuplicateRouteNameError);
        expect(byId(await routes.list())).toEqual(byId([alpha, beta]));
      });

      it('updates by merging, keeping id and createdAt; a rename frees the old name; null for an unknown id', async () => {
        const { routes } = await open();
        const stored = await routes.create(route('before'));
        const changes = { name: 'after', strategy: 'least-busy' as const, targets: [{ model: 'openai-3/gpt-4o', weight: 2 }], updatedAt: new Date(T + 10 * MINUTE).toISOString() };
        const updated = await routes.update(stored.id, changes);
        expect(updated).toEqual({ ...stored, ...changes });
        expect(await routes.get(stored.id)).toEqual(updated);
        expect(await routes.findByName('after')).toEqual(updated);
        expect(await routes.findByName('before')).toBeNull();
        expect((await routes.create(route('before'))).name).toBe('before');
        expect(await routes.update('no-such-id', { strategy: 'weighted' })).toBeNull();
      });

      it('deletes once: true, then false; the name finds nothing and is free again', async () => {
        const { routes } = await open();
        const stored = await routes.create(route('gone'));
        const other = await routes.create(route('kept'));
        expect(await routes.delete(stored.id)).toBe(true);
        expect(await routes.delete(stored.id)).toBe(false);
        expect(await routes.get(stored.id)).toBeNull();
        expect(await routes.findByName('gone')).toBeNull();
        expect(await routes.list()).toEqual([other]);
        expect((await routes.create(route('GONE'))).name).toBe('GONE');
      });
    });

    describe('target rests', () => {
      it('answers each rested target\'s latest rest, the later of two, and nothing for others', async () => {
        const { targetRests } = await open();
        expect(await targetRests.restingUntil(['p1/gpt-4o', 'p2/gpt-4o'])).toEqual(new Map());
        await targetRests.rest('p1/gpt-4o', T + 2000, 60_000);
        await targetRests.rest('p2/model/with/slashes', T + 5000, 60_000);
        // An earlier rest does not shorten a later one.
        await targetRests.rest('p1/gpt-4o', T + 1000, 60_000);
        expect(await targetRests.restingUntil(['p1/gpt-4o', 'p2/gpt-4o', 'p2/model/with/slashes'])).toEqual(new Map([['p1/gpt-4o', T + 2000], ['p2/model/with/slashes', T + 5000]]));
        await targetRests.rest('p1/gpt-4o', T + 9000, 60_000);
        expect(await targetRests.restingUntil(['p1/gpt-4o'])).toEqual(new Map([['p1/gpt-4o', T + 9000]]));
        expect(await targetRests.restingUntil([])).toEqual(new Map());
      });
    });

    describe('usage', () => {
      async function recorded() {
        const backend = await open();
        for (const entry of [
          usageRecord(T + 5 * MINUTE, 'k1', 'p1', 'm1', 10, 5, 200, { cachedPromptTokens: 4, cacheWriteTokens: 2, reasoningTokens: 1, costUsd: 0.000125 }),
          // No price known for it: counted in unpricedRequests, 0 in the cost.
          usageRecord(T + 55 * MINUTE, 'k1', 'p1', 'm1', 1, 2, 500, { costUsd: null }),
          usageRecord(T + 60 * MINUTE, 'k1', 'p1', 'm2', 100, 50, 'UPSTREAM_TIMEOUT', { cachedPromptTokens: 60, reasoningTokens: 20, costUsd: 0.0015 }),
          usageRecord(T + 70 * MINUTE, null, 'p2', 'm1', 7, 3, 499, { costUsd: 0.000000123 }),
          usageRecord(T - 10 * HOUR_MS - 30 * MINUTE, 'k2', 'p1', 'm1', 1000, 0, 200, { cacheWriteTokens: 1000, costUsd: 0.01 }),
        ]) {
          await backend.usage.record(entry);
        }
        return backend.usage;
      }

      it('sums requests, errors, tokens by kind and cost per whole hour: from included, to excluded', async () => {
        const ledger = await recorded();
        expect(await ledger.query({ from: T, to: T + HOUR_MS, groupBy: [] })).toEqual([row({}, 2, 1, 11, 7, 4, 2, 1, 0.000125, 1)]);
        expect(await ledger.query({ from: T + HOUR_MS, to: T + 2 * HOUR_MS, groupBy: [] })).toEqual([row({}, 2, 1, 107, 53, 60, 0, 20, 0.001500123, 0)]);
        expect(await ledger.query({ from: T + 2 * HOUR_MS, to: T + 3 * HOUR_MS, groupBy: [] })).toEqual([]);
      });

      it('groups by model, provider, key and UTC day, in a stable order', async () => {
        const ledger = await recorded();
        expect(await ledger.query({ from: T, to: T + 2 * HOUR_MS, groupBy: ['model'] })).toEqual([
          row({ model: 'm1' }, 3, 1, 18, 10, 4, 2, 1, 0.000125123, 1),
          row({ model: 'm2' }, 1, 1, 100, 50, 60, 0, 20, 0.0015, 0),
        ]);
        expect(await ledger.query({ from: T - 24 * HOUR_MS, to: T + 24 * HOUR_MS, groupBy: ['key', 'provider'] })).toEqual([
          row({ key: null, provider: 'p2' }, 1, 0, 7, 3, 0, 0, 0, 0.000000123, 0),
          row({ key: 'k1', provider: 'p1' }, 3, 2, 111, 57, 64, 2, 21, 0.001625, 1),
          row({ key: 'k2', provider: 'p1' }, 1, 0, 1000, 0, 0, 1000, 0, 0.01, 0),
        ]);
        expect(await ledger.query({ from: T - 24 * HOUR_MS, to: T + 24 * HOUR_MS, groupBy: ['day'] })).toEqual([
          row({ day: '2026-11-30' }, 1, 0, 1000, 0, 0, 1000, 0, 0.01, 0),
          row({ day: '2026-12-01' }, 4, 2, 118, 60, 64, 2, 21, 0.001625123, 1),
        ]);
      });

      it('keeps the route a request named, and groups by it (requests that named none have no route)', async () => {
        const { usage: ledger } = await open();
        await ledger.record({ ...usageRecord(T + MINUTE, 'k1', 'p1', 'm1', 10, 5, 200), routeName: 'gpt-4o' });
        await ledger.record({ ...usageRecord(T + 2 * MINUTE, 'k1', 'p2', 'm1', 20, 5, 429), routeName: 'gpt-4o' });
        await ledger.record(usageRecord(T + 3 * MINUTE, 'k1', 'p1', 'm1', 1, 1, 200));
        await ledger.record({ ...usageRecord(T + 4 * MINUTE, null, 'p1', 'm1', 2, 2, 200), routeName: null });
        expect(await ledger.query({ from: T, to: T + HOUR_MS, groupBy: ['route'] })).toEqual([
          row({}, 2, 0, 3, 3, 0, 0, 0, 0, 0),
          row({ route: 'gpt-4o' }, 2, 1, 30, 10, 0, 0, 0, 0, 0),
        ]);
        expect(await ledger.query({ from: T, to: T + HOUR_MS, groupBy: ['route', 'provider'], keyId: 'k1' })).toEqual([
          row({ provider: 'p1' }, 1, 0, 1, 1, 0, 0, 0, 0, 0),
          row({ provider: 'p1', route: 'gpt-4o' }, 1, 0, 10, 5, 0, 0, 0, 0, 0),
          row({ provider: 'p2', route: 'gpt-4o' }, 1, 1, 20, 5, 0, 0, 0, 0, 0),
        ]);
      });

      it('selects one key, or the shared token (null)', async () => {
        const ledger = await recorded();
        const all = { from: T - 24 * HOUR_MS, to: T + 24 * HOUR_MS, groupBy: [] };
        expect(await ledger.query({ ...all, keyId: null })).toEqual([row({}, 1, 0, 7, 3, 0, 0, 0, 0.000000123, 0)]);
        expect(await ledger.query({ ...all, keyId: 'k2' })).toEqual([row({}, 1, 0, 1000, 0, 0, 1000, 0, 0.01, 0)]);
        expect(await ledger.query({ ...all, keyId: 'nobody' })).toEqual([]);
      });

      it('sums one key\'s tokens since an hour boundary', async () => {
        const ledger = await recorded();
        expect(await ledger.tokensSince('k1', T)).toBe(168);
        expect(await ledger.tokensSince('k1', T + HOUR_MS)).toBe(150);
        expect(await ledger.tokensSince('k1', T + 2 * HOUR_MS)).toBe(0);
        expect(await ledger.tokensSince('k1', 0)).toBe(168);
        expect(await ledger.tokensSince('k2', T)).toBe(0);
        expect(await ledger.tokensSince('k2', 0)).toBe(1000);
        expect(await ledger.tokensSince('nobody', 0)).toBe(0);
      });

      it('sums one key\'s cost since an hour boundary, an unpriced record adding nothing', async () => {
        const ledger = await recorded();
        expect(await ledger.costSince('k1', T)).toBe(0.001625);
        expect(await ledger.costSince('k1', T + HOUR_MS)).toBe(0.0015);
        expect(await ledger.costSince('k1', T + 2 * HOUR_MS)).toBe(0);
        expect(await ledger.costSince('k1', 0)).toBe(0.001625);
        expect(await ledger.costSince('k2', T)).toBe(0);
        expect(await ledger.costSince('k2', 0)).toBe(0.01);
        expect(await ledger.costSince('nobody', 0)).toBe(0);
      });

      it('knows when each key was last used, and a late older record does not move it back', async () => {
        const ledger = await recorded();
        await ledger.record(usageRecord(T, 'k1', 'p1', 'm1', 1, 1, 200));
        expect(new Map([...(await ledger.lastUsed())].sort())).toEqual(new Map([['k1', T + 60 * MINUTE], ['k2', T - 10 * HOUR_MS - 30 * MINUTE]]));
      });
    });

    describe('request log', () => {
      let serial = 0;
      /** A record as the chat service writes it, with every field the log shows. */
      function logged(changes: Partial<UsageRecord> = {}): UsageRecord {
        serial++;
        return {
          ...usageRecord(T + serial * 1000, 'k1', 'p1', 'm1', serial, 2 * serial, 200),
          id: `record-${serial}-${crypto.randomUUID()}`,
          requestId: crypto.randomUUID(),
          route: 'chat',
          stream: serial % 2 === 0,
          cacheStatus: null,
          ...changes,
        };
      }
      const rowsOf = (page: { records: LoggedRecord[] }) => page.records.map(toLogRow);

      it('reads records newest first, with every field the log shows', async () => {
        const backend = await open();
        const entries = [
          logged({ route: 'messages', cacheStatus: 'MISS', timeToFirstTokenMs: 42, stream: true }),
          logged({ outcome: 'UPSTREAM_TIMEOUT', errorCode: 'UPSTREAM_TIMEOUT', keyId: null }),
          logged({ outcome: 502, errorCode: 'PROVIDER_ERROR', route: 'responses' }),
          logged({ cached: true, cacheStatus: 'HIT', route: 'embeddings' }),
        ];
        for (const entry of entries) await backend.usage.record(entry);
        const page = await backend.requestLog.page({ limit: 10 });
        expect(page.next).toBeUndefined();
        expect(rowsOf(page)).toEqual(entries.reverse().map((entry) => ({
          id: entry.id,
          time: new Date(entry.time).toISOString(),
          requestId: entry.requestId,
          route: entry.route,
          keyId: entry.keyId,
          providerId: 'p1',
          model: 'm1',
          stream: entry.stream,
          status: entry.outcome === 200 ? 'ok' : 'error',
          ...(entry.errorCode === undefined ? {} : { errorCode: entry.errorCode }),
          latencyMs: 10,
          ttftMs: entry.timeToFirstTokenMs,
          promptTokens: entry.promptTokens,
          completionTokens: entry.completionTokens,
          // The cost fields as each record holds them (0 here: usageRecord's).
          cachedPromptTokens: entry.cachedPromptTokens,
          reasoningTokens: entry.reasoningTokens,
          costUsd: entry.costUsd,
          cache: entry.cacheStatus,
        })));
      });

      it('reads a record written without the log\'s fields as one, with an id from its place', async () => {
        const backend = await open();
        await backend.usage.record(usageRecord(T, 'k1', 'p1', 'm1', 3, 4, 499));
        await backend.usage.record(usageRecord(T + 1, null, 'p1', 'm1', 5, 6, 200));
        const [newer, older] = rowsOf(await backend.requestLog.page({ limit: 10 }));
        expect(newer).toMatchObject({ requestId: null, route: 'chat', keyId: null, stream: false, status: 'ok', cache: null, promptTokens: 5 });
        expect(older).toMatchObject({ requestId: null, keyId: 'k1', status: 'error', errorCode: 'CLIENT_CLOSED', promptTokens: 3 });
        expect(typeof newer!.id).toBe('string');
        expect(new Set([newer!.id, older!.id]).size).toBe(2);
      });

      it('pages with its cursor without gaps or repeats while records keep arriving', async () => {
        const backend = await open();
        const first = Array.from({ length: 25 }, () => logged());
        for (const entry of first) await backend.usage.record(entry);
        const seen: string[] = [];
        let latest = first.at(-1)!;
        let before: string | undefined;
        for (let round = 0; round < 10; round++) {
          const page = await backend.requestLog.page({ limit: 10, ...(before === undefined ? {} : { before }) });
          seen.push(...page.records.map((entry) => entry.record.id!));
          // Newer records arrive between the pages: they come before the first page, not inside the next.
          for (let more = 0; more < 3; more++) await backend.usage.record((latest = logged()));
          if (page.next === undefined) break;
          before = page.next;
        }
        expect(seen).toEqual(first.map((entry) => entry.id).reverse());
        expect((await backend.requestLog.page({ limit: 1 })).records.map((entry) => entry.record.id)).toEqual([latest.id]);
      });

      it('filters by key (null: the shared token), provider, model and status, and pages within a filter', async () => {
        const backend = await open();
        const entries = [
          logged({ keyId: 'k2' }),
          logged({ keyId: null }),
          logged({ providerId: 'p2' }),
          logged({ model: 'm2', outcome: 429, errorCode: 'RATE_LIMITED' }),
          logged({ keyId: 'k2', outcome: 'PROVIDER_ERROR', errorCode: 'PROVIDER_ERROR' }),
          logged({ keyId: 'k2' }),
          logged({ outcome: 499 }),
        ];
        for (const entry of entries) await backend.usage.record(entry);
        const ids = async (selection: Omit<LogSelection, 'limit'>, limit = 10) => (await backend.requestLog.page({ limit, ...selection })).records.map((entry) => entry.record.id);
        const idOf = (...indexes: number[]) => indexes.map((index) => entries[index]!.id);
        expect(await ids({ keyId: 'k2' })).toEqual(idOf(5, 4, 0));
        expect(await ids({ keyId: null })).toEqual(idOf(1));
        expect(await ids({ providerId: 'p2' })).toEqual(idOf(2));
        expect(await ids({ model: 'm2' })).toEqual(idOf(3));
        expect(await ids({ status: 'error' })).toEqual(idOf(6, 4, 3));
        expect(await ids({ status: 'ok', providerId: 'p1' })).toEqual(idOf(5, 1, 0));
        expect(await ids({ keyId: 'k2', status: 'ok' })).toEqual(idOf(5, 0));
        expect(await ids({ keyId: 'nobody' })).toEqual([]);
        const firstPage = await backend.requestLog.page({ limit: 2, keyId: 'k2' });
        expect(firstPage.records.map((entry) => entry.record.id)).toEqual(idOf(5, 4));
        const secondPage = await backend.requestLog.page({ limit: 2, keyId: 'k2', before: firstPage.next! });
        expect(secondPage.records.map((entry) => entry.record.id)).toEqual(idOf(0));
        expect(secondPage.next).toBeUndefined();
      });

      it('shows a request whose budget reservation was settled, as any other', async () => {
        const backend = await open();
        const entry = logged({ keyId: 'k9', outcome: 499, errorCode: 'CLIENT_CLOSED', estimated: true });
        const reserved = await backend.budgets.reserve({ id: 'r1', keyId: 'k9', since: T, limit: { tokens: 1000 }, amount: { tokens: 100, costNanos: 0 }, now: T, expiresAt: T + 60_000 });
        expect(reserved.granted).toBe(true);
        await backend.budgets.settle('k9', 'r1', entry);
        const [row, ...others] = rowsOf(await backend.requestLog.page({ limit: 10 }));
        expect(others).toEqual([]);
        expect(row).toMatchObject({ id: entry.id, requestId: entry.requestId, keyId: 'k9', status: 'error', errorCode: 'CLIENT_CLOSED', promptTokens: entry.promptTokens });
      });

      it('refuses a cursor it did not give', async () => {
        const backend = await open();
        await backend.usage.record(logged());
        for (const before of ['not-a-cursor', 'W10', encodeCursor({ month: 1 })]) {
          await expect(backend.requestLog.page({ limit: 10, before })).rejects.toThrow(ValidationError);
        }
      });
    });

    describe('budget reservations', () => {
      const NOW = T + 30 * MINUTE;
      const LEASE = 60_000;
      const reservation = (keyId: string, id: string, tokens: number, at = NOW, limit = 50) => ({
        id,
        keyId,
        since: T,
        limit: { tokens: limit },
        amount: { tokens, costNanos: 0 },
        now: at,
        expiresAt: at + LEASE,
      });
      /** A dollar budget's reservation: limit and amount in nano-dollars, tokens not limited. */
      const dollarReservation = (keyId: string, id: string, costNanos: number, limit: number, tokens = 100) => ({
        id,
        keyId,
        since: T,
        limit: { costNanos: limit },
        amount: { tokens, costNanos },
        now: NOW,
        expiresAt: NOW + LEASE,
      });

      it('grants while used + reserved + amount stays within the limit, in the key\'s period only', async () => {
        const { usage, budgets } = await open();
        // Before the period (not used) and in it (used: 10).
        await usage.record(usageRecord(T - 2 * HOUR_MS, 'k1', 'p1', 'm1', 500, 500, 200));
        await usage.record(usageRecord(T + MINUTE, 'k1', 'p1', 'm1', 6, 4, 200));
        expect(await budgets.reserve(reservation('k1', 'a', 30))).toEqual({ granted: true, used: { tokens: 10, costNanos: 0 }, reserved: { tokens: 0, costNanos: 0 } });
        expect(await budgets.reserve(reservation('k1', 'b', 10))).toEqual({ granted: true, used: { tokens: 10, costNanos: 0 }, reserved: { tokens: 30, costNanos: 0 } });
        expect(await budgets.reserve(reservation('k1', 'c', 1))).toEqual({ granted: false, used: { tokens: 10, costNanos: 0 }, reserved: { tokens: 40, costNanos: 0 } });
        // Another key has its own budget.
        expect(await budgets.reserve(reservation('k2', 'd', 50))).toEqual({ granted: true, used: { tokens: 0, costNanos: 0 }, reserved: { tokens: 0, costNanos: 0 } });
      });

      it('cannot be raced: of 20 concurrent reservations, exactly those that fit are granted', async () => {
        const { budgets } = await open();
        const outcomes = await Promise.all(Array.from({ length: 20 }, (_, index) => budgets.reserve(reservation('k1', `r${index}`, 7))));
        expect(outcomes.filter((outcome) => outcome.granted)).toHaveLength(7);
        expect(outcomes.filter((outcome) => !outcome.granted).every((outcome) => outcome.reserved.tokens === 49)).toBe(true);
      });

      it('settles to the real figure: the record counts, the reservation no longer does', async () => {
        const { usage, budgets } = await open();
        expect((await budgets.reserve(reservation('k1', 'a', 40))).granted).toBe(true);
        await budgets.settle('k1', 'a', { ...usageRecord(T + 20 * MINUTE, 'k1', 'p1', 'm1', 9, 3, 499), estimated: true });
        expect(await usage.tokensSince('k1', T)).toBe(12);
        expect(await usage.query({ from: T, to: T + HOUR_MS, groupBy: [], keyId: 'k1' })).toEqual([row({}, 1, 0, 9, 3, 0, 0, 0, 0, 0)]);
        expect(await budgets.reserve(reservation('k1', 'b', 38))).toEqual({ granted: true, used: { tokens: 12, costNanos: 0 }, reserved: { tokens: 0, costNanos: 0 } });
      });

      it('gives a released reservation back, keeps a renewed one past its first expiry, and lets an expired one lapse', async () => {
        const { budgets } = await open();
        expect((await budgets.reserve(reservation('k1', 'a', 40))).granted).toBe(true);
        await budgets.release('k1', 'a');
        expect((await budgets.reserve(reservation('k1', 'b', 40))).granted).toBe(true);
        // Still held just before it expires; gone at its expiry.
        expect((await budgets.reserve(reservation('k1', 'c', 20, NOW + LEASE - 1))).granted).toBe(false);
        expect(await budgets.reserve(reservation('k1', 'd', 20, NOW + LEASE))).toEqual({ granted: true, used: { tokens: 0, costNanos: 0 }, reserved: { tokens: 0, costNanos: 0 } });
        // d renewed: still held where it would have lapsed.
        await budgets.renew('k1', 'd', NOW + LEASE + 1, NOW + 3 * LEASE);
        expect(await budgets.reserve(reservation('k1', 'e', 40, NOW + 2 * LEASE + 1))).toEqual({ granted: false, used: { tokens: 0, costNanos: 0 }, reserved: { tokens: 20, costNanos: 0 } });
        // Renewing or releasing what is gone does nothing.
        await budgets.renew('k1', 'gone', NOW, NOW + LEASE);
        await budgets.release('k1', 'gone');
      });

      it('holds a dollar budget the same way: the period\'s priced records, the holds and the amount in nano-dollars, unpriced records adding nothing', async () => {
        const { usage, budgets } = await open();
        // $0.000125 and an unpriced record in the period; $0.01 before it.
        await usage.record(usageRecord(T - 2 * HOUR_MS, 'k1', 'p1', 'm1', 500, 500, 200, { costUsd: 0.01 }));
        await usage.record(usageRecord(T + MINUTE, 'k1', 'p1', 'm1', 6, 4, 200, { costUsd: 0.000125 }));
        await usage.record(usageRecord(T + 2 * MINUTE, 'k1', 'p1', 'm1', 6, 4, 200, { costUsd: null }));
        const limit = 1_000_000; // $0.001
        expect(await budgets.reserve(dollarReservation('k1', 'a', 500_000, limit))).toEqual({ granted: true, used: { tokens: 20, costNanos: 125_000 }, reserved: { tokens: 0, costNanos: 0 } });
        // 125,000 + 500,000 + 375,000 is the limit exactly: granted; one nano-dollar more is not.
        expect(await budgets.reserve(dollarReservation('k1', 'b', 375_001, limit))).toEqual({ granted: false, used: { tokens: 20, costNanos: 125_000 }, reserved: { tokens: 100, costNanos: 500_000 } });
        expect((await budgets.reserve(dollarReservation('k1', 'c', 375_000, limit))).granted).toBe(true);
        // Settled to its real, smaller cost: what it held beyond that is free again.
        await budgets.settle('k1', 'a', usageRecord(T + 3 * MINUTE, 'k1', 'p1', 'm1', 10, 10, 200, { costUsd: 0.0001 }));
        expect(await budgets.reserve(dollarReservation('k1', 'd', 400_000, limit))).toEqual({ granted: true, used: { tokens: 40, costNanos: 225_000 }, reserved: { tokens: 100, costNanos: 375_000 } });
        expect(await budgets.reserve(dollarReservation('k1', 'e', 1, limit))).toEqual({ granted: false, used: { tokens: 40, costNanos: 225_000 }, reserved: { tokens: 200, costNanos: 775_000 } });
        // A budget of both units refuses on either.
        expect((await budgets.reserve({ ...dollarReservation('k2', 'f', 1, limit), limit: { tokens: 50, costNanos: limit } })).granted).toBe(false);
      });
    });

    describe('models cache', () => {
      it('returns what was set until it expires; a TTL of 0 stores nothing; delete drops it', async () => {
        const { modelsCache } = await open();
        const value = { data: [{ id: 'gpt-x', owned_by: 'someone' }], fetchedAt: new Date(T).toISOString() };
        expect(await modelsCache.get('p1')).toBeNull();
        await modelsCache.set('p1', value, 60_000);
        expect(await modelsCache.get('p1')).toEqual(value);
        await modelsCache.delete('p1');
        expect(await modelsCache.get('p1')).toBeNull();
        await modelsCache.set('p2', value, 0);
        expect(await modelsCache.get('p2')).toBeNull();
        await modelsCache.set('p3', value, 300);
        await sleep(700);
        expect(await modelsCache.get('p3')).toBeNull();
      });
    });

    describe('response cache', () => {
      it('returns what was set under a key, the latest value, and null for a key never set', async () => {
        const { responseCache } = await open();
        expect(await responseCache.get('never')).toBeNull();
        await responseCache.set('answer', '{"id":"chatcmpl-1"}', 60);
        await responseCache.set('other', 'other value', 60);
        expect(await responseCache.get('answer')).toBe('{"id":"chatcmpl-1"}');
        await responseCache.set('answer', '{"id":"chatcmpl-2"}', 60);
        expect(await responseCache.get('answer')).toBe('{"id":"chatcmpl-2"}');
        expect(await responseCache.get('other')).toBe('other value');
      });
    });

    describe('stored responses', () => {
      it('returns what was put under an id, the latest value, null for an id never put, and removes on delete', async () => {
        const { responses } = await open();
        const id = `resp_${crypto.randomUUID().replaceAll('-', '')}`;
        expect(await responses.get(id)).toBeNull();
        expect(await responses.delete(id)).toBe(false);
        await responses.put(id, '{"v":1,"owner":"token"}', 3600);
        await responses.put(`${id}x`, 'other', 3600);
        expect(await responses.get(id)).toBe('{"v":1,"owner":"token"}');
        await responses.put(id, '{"v":1,"owner":"key:1"}', 3600);
        expect(await responses.get(id)).toBe('{"v":1,"owner":"key:1"}');
        expect(await responses.delete(id)).toBe(true);
        expect(await responses.get(id)).toBeNull();
        expect(await responses.get(`${id}x`)).toBe('other');
      });
    });

    describe('rate-limit store', () => {
      it.each(['open', 'closed'] as const)('counts hits per key within the window; decrement and reset take effect (failing %s)', async (failure) => {
        const backend = await open();
        const store = backend.rateLimitStore('contract', failure);
        stores.push(store);
        store.init?.({ windowMs: 60_000 } as Parameters<NonNullable<Store['init']>>[0]);
        const key = `contract:${crypto.randomUUID()}`;
        const other = `contract:${crypto.randomUUID()}`;
        const before = Date.now();
        const hits: number[] = [];
        for (let index = 0; index < 3; index++) hits.push((await store.increment(key)).totalHits);
        expect(hits).toEqual([1, 2, 3]);
        const { resetTime } = await store.increment(other);
        expect(resetTime!.getTime()).toBeGreaterThan(before);
        expect(resetTime!.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
        await store.decrement(key);
        expect((await store.increment(key)).totalHits).toBe(3);
        await store.resetKey(key);
        expect((await store.increment(key)).totalHits).toBe(1);
        expect((await store.increment(other)).totalHits).toBe(2);
      });
    });

    describe('salt', () => {
      it('is created once, 16 bytes, and the same however often and however concurrently it is asked for', async () => {
        const backend = await open();
        const [first, second] = await Promise.all([backend.loadOrCreateSalt(), backend.loadOrCreateSalt()]);
        expect(first).toHaveLength(16);
        expect(second).toEqual(first);
        expect(await backend.loadOrCreateSalt()).toEqual(first);
      });

      it('is never made up when providers are stored without one', async () => {
        const backend = await open();
        await backend.providers.create(provider('Alpha'));
        await expect(backend.loadOrCreateSalt()).rejects.toThrow(/missing but providers are stored/);
      });
    });

    it('is healthy when its storage answers', async () => {
      expect(await (await open()).isHealthy()).toBe(true);
    });
  });
}
