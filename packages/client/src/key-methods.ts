import type { RequestOptions, Transport } from './create-transport.ts';
import type { AccessKey, CreateAccessKeyInput, CreatedAccessKey, UpdateAccessKeyInput } from './wire-types.ts';

// /keys: scoped `gwk_` access keys, managed with the management token.

export interface KeyMethods {
  /** The answer carries `key`, the secret, which the gateway never shows again. */
  create(input: CreateAccessKeyInput, options?: RequestOptions): Promise<CreatedAccessKey>;
  list(options?: RequestOptions): Promise<AccessKey[]>;
  get(id: string, options?: RequestOptions): Promise<AccessKey>;
  /** Partial: name, providers, models, rateLimit, budget, expiresAt, disabled. */
  update(id: string, changes: UpdateAccessKeyInput, options?: RequestOptions): Promise<AccessKey>;
  delete(id: string, options?: RequestOptions): Promise<void>;
}

export function keyMethods(transport: Transport): KeyMethods {
  const path = (id: string) => `/keys/${encodeURIComponent(id)}`;
  return {
    create: (input, options = {}) => transport.json('POST', '/keys', { ...options, body: input }),
    async list(options = {}) {
      return (await transport.json<{ data: AccessKey[] }>('GET', '/keys', options)).data;
    },
    get: (id, options = {}) => transport.json('GET', path(id), options),
    update: (id, changes, options = {}) => transport.json('PUT', path(id), { ...options, body: changes }),
    delete: (id, options = {}) => transport.json('DELETE', path(id), options),
  };
}
