import type { RequestOptions, Transport } from './create-transport.ts';
import type {
  Provider,
  ProviderChanges,
  ProviderHealth,
  ProviderImportOptions,
  ProviderImportResult,
  ProviderInput,
  ProviderModels,
  ProviderTestOptions,
  ProviderTestResult,
} from './wire-types.ts';

// /providers: management (create, update, delete, test, refresh and import need the admin token
// when the gateway has one) and the checks that call the provider.

export interface ProviderMethods {
  list(options?: RequestOptions): Promise<Provider[]>;
  create(input: ProviderInput, options?: RequestOptions): Promise<Provider>;
  get(id: string, options?: RequestOptions): Promise<Provider>;
  /** Partial: only the fields given change; `apiKey`, when given, is re-encrypted. */
  update(id: string, changes: ProviderChanges, options?: RequestOptions): Promise<Provider>;
  delete(id: string, options?: RequestOptions): Promise<void>;
  /** Reachability and auth of the upstream: a failing provider is `status: "error"`, not a throw. */
  health(id: string, options?: RequestOptions): Promise<ProviderHealth>;
  /** A real authenticated call: with `model`, a one-token chat completion, else the model list. `ok: false` is not a throw. */
  test(id: string, test?: ProviderTestOptions, options?: RequestOptions): Promise<ProviderTestResult>;
  /** The provider's model list, cached by the gateway (`cached` says whether this one was). */
  models(id: string, options?: RequestOptions): Promise<ProviderModels>;
  /** Bypasses and refills the gateway's cache. */
  refreshModels(id: string, options?: RequestOptions): Promise<ProviderModels>;
  /** All or nothing: a bad entry is a VALIDATION_ERROR with details.index and details.field, an existing name (onConflict "fail") a CONFLICT. */
  import(entries: ProviderInput[], importOptions?: ProviderImportOptions, options?: RequestOptions): Promise<ProviderImportResult>;
}

export function providerMethods(transport: Transport): ProviderMethods {
  const path = (id: string, rest = '') => `/providers/${encodeURIComponent(id)}${rest}`;
  return {
    async list(options = {}) {
      return (await transport.json<{ data: Provider[] }>('GET', '/providers', options)).data;
    },
    create: (input, options = {}) => transport.json('POST', '/providers', { ...options, body: input }),
    get: (id, options = {}) => transport.json('GET', path(id), options),
    update: (id, changes, options = {}) => transport.json('PUT', path(id), { ...options, body: changes }),
    delete: (id, options = {}) => transport.json('DELETE', path(id), options),
    health: (id, options = {}) => transport.json('GET', path(id, '/health'), options),
    test: (id, test = {}, options = {}) => transport.json('POST', path(id, '/test'), { ...options, body: test }),
    models: (id, options = {}) => transport.json('GET', path(id, '/models'), options),
    refreshModels: (id, options = {}) => transport.json('POST', path(id, '/models/refresh'), options),
    import: (entries, importOptions = {}, options = {}) =>
      transport.json('POST', '/providers/import', { ...options, body: { providers: entries, ...importOptions } }),
  };
}
