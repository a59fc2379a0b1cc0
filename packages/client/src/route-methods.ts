import type { RequestOptions, Transport } from './create-transport.ts';
import type { CreateRouteInput, Route, UpdateRouteInput } from './wire-types.ts';

// /routes: one model name for several `<provider>/<model>` targets, managed with the management token.

export interface RouteMethods {
  create(input: CreateRouteInput, options?: RequestOptions): Promise<Route>;
  list(options?: RequestOptions): Promise<Route[]>;
  get(id: string, options?: RequestOptions): Promise<Route>;
  /** Partial: name, targets (the whole list), strategy. */
  update(id: string, changes: UpdateRouteInput, options?: RequestOptions): Promise<Route>;
  delete(id: string, options?: RequestOptions): Promise<void>;
}

export function routeMethods(transport: Transport): RouteMethods {
  const path = (id: string) => `/routes/${encodeURIComponent(id)}`;
  return {
    create: (input, options = {}) => transport.json('POST', '/routes', { ...options, body: input }),
    async list(options = {}) {
      return (await transport.json<{ data: Route[] }>('GET', '/routes', options)).data;
    },
    get: (id, options = {}) => transport.json('GET', path(id), options),
    update: (id, changes, options = {}) => transport.json('PUT', path(id), { ...options, body: changes }),
    delete: (id, options = {}) => transport.json('DELETE', path(id), options),
  };
}
