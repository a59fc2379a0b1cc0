import type { Logger } from '../../../logging/logger.ts';
import { DuplicateRouteNameError, storedRouteSchema, type ModelRouteStore, type RouteChanges } from '../../../storage/model-route-store.ts';
import type { RedisConnection } from './redis-connection.ts';
import { createIndexedRecords } from './redis-indexed-records.ts';
import type { RedisKeys } from './redis-keys.ts';

// Routes in Redis: `routes` (id -> the route's JSON, as in routes.json) and `route-names`
// (lower-case name -> id), written together by one script, so two gateways cannot both store
// the same name, and a request finds a route by name without a scan.

export function createRedisRouteStore(connection: RedisConnection, keys: RedisKeys, logger: Logger): ModelRouteStore {
  const records = createIndexedRecords({
    connection,
    logger,
    recordsKey: keys.routes,
    indexKey: keys.routeNames,
    schema: storedRouteSchema,
    kind: 'Route',
    uniqueOf: (route) => route.name.toLowerCase(),
    conflict: (route) => new DuplicateRouteNameError(route.name),
  });
  return {
    list: async () => (await records.all()).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)),
    get: (id) => records.get(id),
    findByName: (name) => records.getByUnique(name.toLowerCase()),
    create: (route) => records.create(route),
    update: (id, changes: RouteChanges) => records.update(id, (current) => ({ ...current, ...changes, id, createdAt: current.createdAt })),
    delete: (id) => records.delete(id),
  };
}
