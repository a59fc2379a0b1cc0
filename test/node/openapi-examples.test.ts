import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { adminHeaders } from '../support/target.ts';

// The docs page's "Try it out" sends a request body's example as it is (Swagger UI builds one from
// the types only when there is none: `"model": "string"`, `additionalProp1`). Every JSON request
// body in the document has an example, and each, sent as it is, passes the gateway's validation.
// Node only: the requests run in an order on a store this test owns (the Worker's KV is shared by
// every test file, where a provider named "openai" would send the chat example to the internet).

interface Operation {
  method: string;
  path: string;
  example: unknown;
}

let target: NodeTarget;
let operations: Operation[];

beforeAll(async () => {
  target = await startTarget();
  const document = (await (await target.fetch('/openapi.json')).json()) as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string; example?: unknown } }> } }>>;
    components: { schemas: Record<string, { example?: unknown }> };
  };
  const resolve = (schema: { $ref?: string; example?: unknown }) => (schema.$ref ? document.components.schemas[schema.$ref.split('/').pop()!]! : schema);
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, operation]) => {
      const schema = operation.requestBody?.content['application/json']?.schema;
      return schema ? [{ method: method.toUpperCase(), path, example: resolve(schema).example }] : [];
    }),
  );
});
afterAll(() => target.close());

function send(method: string, path: string, body: unknown) {
  return target.rawFetch(`${new URL(target.apiBase).origin}${path}`, { method, headers: adminHeaders, body: JSON.stringify(body) });
}

it('gives every JSON request body an example', () => {
  expect(operations.filter((operation) => operation.example === undefined).map((operation) => `${operation.method} ${operation.path}`)).toEqual([]);
  expect(operations.map((operation) => `${operation.method} ${operation.path}`).sort()).toEqual([
    'POST /api/v1/chat/completions',
    'POST /api/v1/embeddings',
    'POST /api/v1/keys',
    'POST /api/v1/messages',
    'POST /api/v1/messages/count_tokens',
    'POST /api/v1/providers',
    'POST /api/v1/providers/import',
    'POST /api/v1/providers/{id}/test',
    'POST /api/v1/responses',
    'POST /api/v1/routes',
    'PUT /api/v1/keys/{id}',
    'PUT /api/v1/providers/{id}',
    'PUT /api/v1/routes/{id}',
  ]);
});

it('each example, sent as it is, passes validation', async () => {
  const example = (method: string, path: string) => operations.find((operation) => operation.method === method && operation.path === path)!.example;
  const outcomes: Record<string, [number, string | undefined]> = {};
  const record = async (key: string, response: Response) => {
    const body = (await response.json()) as { error?: { code?: string; gateway_code?: string }; id?: string; ok?: boolean };
    // /messages answers errors in Anthropic's shape, with the gateway's code beside its type.
    outcomes[key] = [response.status, body.error?.code ?? body.error?.gateway_code];
    return body;
  };

  // First, while no provider is named "openai": the chat examples are valid and name a provider
  // that is not there (so nothing goes out).
  await record('chat', await send('POST', '/api/v1/chat/completions', example('POST', '/api/v1/chat/completions')));
  await record('messages', await send('POST', '/api/v1/messages', example('POST', '/api/v1/messages')));
  await record('count tokens', await send('POST', '/api/v1/messages/count_tokens', example('POST', '/api/v1/messages/count_tokens')));
  await record('responses', await send('POST', '/api/v1/responses', example('POST', '/api/v1/responses')));
  await record('embeddings', await send('POST', '/api/v1/embeddings', example('POST', '/api/v1/embeddings')));
  await record('import', await send('POST', '/api/v1/providers/import', example('POST', '/api/v1/providers/import')));
  const provider = await record('create provider', await send('POST', '/api/v1/providers', example('POST', '/api/v1/providers')));
  await record('update provider', await send('PUT', `/api/v1/providers/${provider.id}`, example('PUT', '/api/v1/providers/{id}')));
  // The test's own step, not an example: the provider's test call goes to the fake upstream.
  expect((await send('PUT', `/api/v1/providers/${provider.id}`, { baseUrl: `${target.upstreamUrl}/openai/v1` })).status).toBe(200);
  const tested = await record('test provider', await send('POST', `/api/v1/providers/${provider.id}/test`, example('POST', '/api/v1/providers/{id}/test')));
  const key = await record('create key', await send('POST', '/api/v1/keys', example('POST', '/api/v1/keys')));
  await record('update key', await send('PUT', `/api/v1/keys/${key.id}`, example('PUT', '/api/v1/keys/{id}')));
  // The route's example names the provider the provider example created.
  const route = await record('create route', await send('POST', '/api/v1/routes', example('POST', '/api/v1/routes')));
  await record('update route', await send('PUT', `/api/v1/routes/${route.id}`, example('PUT', '/api/v1/routes/{id}')));

  expect(outcomes).toEqual({
    chat: [404, 'NOT_FOUND'],
    messages: [404, 'NOT_FOUND'],
    'count tokens': [404, 'NOT_FOUND'],
    responses: [404, 'NOT_FOUND'],
    embeddings: [404, 'NOT_FOUND'],
    import: [200, undefined],
    'create provider': [201, undefined],
    'update provider': [200, undefined],
    'test provider': [200, undefined],
    'create key': [201, undefined],
    'update key': [200, undefined],
    'create route': [201, undefined],
    'update route': [200, undefined],
  });
  expect(tested.ok).toBe(true);
});
