import { routeSchema, type Route } from '../api/model-routes.ts';

// Routes as stored: exactly their public shape (nothing in a route is secret). Implementations: a
// JSON file beside the providers on Node, KV on Workers, Redis when configured; each refuses a
// name another route holds, compared case-insensitively, as it writes.

export const storedRouteSchema = routeSchema;
export type StoredRoute = Route;

export type RouteChanges = Partial<Omit<StoredRoute, 'id' | 'createdAt'>>;

export interface ModelRouteStore {
  list(): Promise<StoredRoute[]>;
  get(id: string): Promise<StoredRoute | null>;
  /** One lookup by name, in any case (what every request whose model has no `/` asks). */
  findByName(name: string): Promise<StoredRoute | null>;
  /** Refuses an id it holds (DuplicateRecordError) and a name another route holds (DuplicateRouteNameError). */
  create(route: StoredRoute): Promise<StoredRoute>;
  update(id: string, changes: RouteChanges): Promise<StoredRoute | null>;
  delete(id: string): Promise<boolean>;
}

export class DuplicateRouteNameError extends Error {
  constructor(readonly routeName: string) {
    super(`A route named "${routeName}" already exists`);
    this.name = 'DuplicateRouteNameError';
  }
}
