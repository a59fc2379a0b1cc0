import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { createGatewayClient, type GatewayClient } from 'llm-gateway-client';
import { providerFromPreset, providerPresets } from 'llm-gateway-client/presets';
import { HELLO_TEXT } from '../support/fake-upstream/scenarios.ts';
import { ADMIN_TOKEN, type Target } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';

// Every provider preset the client exports, on both runtimes: a provider created from it (its
// base URL moved onto the fake upstream with its path kept, see fake-upstream/index.ts) sends a
// chat and a model-list request to the path and with the credential and headers the service
// documents. What each service documents is written below with where it says so.

const KEY = 'sk-preset-test-0123456789abcdef';

interface DocumentedRequest {
  host: string;
  chatPath: string;
  modelsPath: string;
  /** Headers the service documents for a chat call, with KEY for the key. */
  headers: Record<string, string>;
  /** No credential of any kind is sent. */
  keyless?: true;
  source: string;
}

const bearer = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const anthropicHeaders = { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };

const documented: Record<string, DocumentedRequest> = {
  // curl https://api.openai.com/v1/chat/completions -H "Authorization: Bearer $OPENAI_API_KEY"
  openai: { host: 'api.openai.com', chatPath: '/v1/chat/completions', modelsPath: '/v1/models', headers: bearer, source: 'https://platform.openai.com/docs/api-reference/chat/create' },
  // curl https://api.anthropic.com/v1/messages -H "x-api-key: $ANTHROPIC_API_KEY" -H "anthropic-version: 2023-06-01"
  anthropic: { host: 'api.anthropic.com', chatPath: '/v1/messages', modelsPath: '/v1/models?limit=1000', headers: anthropicHeaders, source: 'https://docs.anthropic.com/en/api/messages' },
  // curl https://api.z.ai/api/paas/v4/chat/completions -H 'Authorization: Bearer YOUR_API_KEY' -H 'Accept-Language: en-US,en'
  zai: { host: 'api.z.ai', chatPath: '/api/paas/v4/chat/completions', modelsPath: '/api/paas/v4/models', headers: { ...bearer, 'accept-language': 'en-US,en' }, source: 'https://docs.z.ai/guides/develop/http/introduction' },
  // ANTHROPIC_BASE_URL=https://api.z.ai/api/anthropic: Anthropic's paths and headers below it.
  'zai-anthropic': { host: 'api.z.ai', chatPath: '/api/anthropic/v1/messages', modelsPath: '/api/anthropic/v1/models?limit=1000', headers: anthropicHeaders, source: 'https://docs.z.ai/scenario-example/develop-tools/claude' },
  // fetch("https://openrouter.ai/api/v1/chat/completions", {headers: {"Authorization": "Bearer <OPENROUTER_API_KEY>"}})
  openrouter: { host: 'openrouter.ai', chatPath: '/api/v1/chat/completions', modelsPath: '/api/v1/models', headers: bearer, source: 'https://openrouter.ai/docs/api-reference/overview' },
  // curl https://api.groq.com/openai/v1/chat/completions -H "Authorization: Bearer $GROQ_API_KEY"
  groq: { host: 'api.groq.com', chatPath: '/openai/v1/chat/completions', modelsPath: '/openai/v1/models', headers: bearer, source: 'https://console.groq.com/docs/openai' },
  // curl "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions" -H "Authorization: Bearer $GEMINI_API_KEY"
  gemini: {
    host: 'generativelanguage.googleapis.com',
    chatPath: '/v1beta/openai/chat/completions',
    modelsPath: '/v1beta/openai/models',
    headers: bearer,
    source: 'https://ai.google.dev/gemini-api/docs/openai',
  },
  // OpenAI(api_key=AZURE_OPENAI_API_KEY, base_url="https://YOUR-RESOURCE-NAME.openai.azure.com/openai/v1/"):
  // the openai SDK sends the key as a bearer token.
  'azure-openai': {
    host: 'your-resource-name.openai.azure.com',
    chatPath: '/openai/v1/chat/completions',
    modelsPath: '/openai/v1/models',
    headers: bearer,
    source: 'https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle',
  },
  // OpenAI(base_url='http://localhost:11434/v1/', api_key='ollama'  # required but ignored)
  ollama: { host: 'localhost:11434', chatPath: '/v1/chat/completions', modelsPath: '/v1/models', headers: { 'content-type': 'application/json' }, keyless: true, source: 'https://docs.ollama.com/api/openai-compatibility' },
  // vllm serve … (without --api-key): http://localhost:8000/v1, no key
  vllm: { host: 'localhost:8000', chatPath: '/v1/chat/completions', modelsPath: '/v1/models', headers: { 'content-type': 'application/json' }, keyless: true, source: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html' },
  // LM Studio's OpenAI-compatible server: http://localhost:1234/v1, no key
  'lm-studio': { host: 'localhost:1234', chatPath: '/v1/chat/completions', modelsPath: '/v1/models', headers: { 'content-type': 'application/json' }, keyless: true, source: 'https://lmstudio.ai/docs/app/api/endpoints/openai' },
};

let target: Target;
let gateway: GatewayClient;

beforeAll(async () => {
  target = await startBehaviourTarget();
  gateway = createGatewayClient({ baseUrl: target.apiBase, token: ADMIN_TOKEN, fetch: target.rawFetch });
});
afterAll(() => target.close());

it('covers every preset, and every preset is covered', () => {
  expect(providerPresets.map((preset) => preset.id).sort()).toEqual(Object.keys(documented).sort());
});

describe.each(providerPresets.map((preset) => [preset.id, preset] as const))('the %s preset', (id, preset) => {
  const expected = documented[id]!;

  it('sends the chat and model-list requests the service documents', async () => {
    const { host, pathname } = new URL(preset.baseUrl);
    expect(host).toBe(expected.host);
    // The preset's address on the fake upstream: scheme and host swapped, path kept.
    const hostedPrefix = `/hosted/${preset.routingMethod}/${host}`;
    const run = crypto.randomUUID();
    const input = providerFromPreset(id, {
      name: `${id}-${run.slice(0, 8)}`,
      baseUrl: `${target.upstreamUrl}${hostedPrefix}${pathname}`,
      customHeaders: { 'x-test-run': run },
      ...(preset.apiKey === 'required' ? { apiKey: KEY } : {}),
    });
    const provider = await gateway.providers.create(input);
    expect(provider.apiKeyHint).toBe(expected.keyless ? null : '…cdef');

    const model = preset.routingMethod === 'anthropic' ? 'claude-test' : 'gpt-test';
    const answer = await gateway.chat({ model: `${provider.name}/${model}`, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 16 });
    expect(answer.choices[0]?.message.content).toBe(HELLO_TEXT);
    expect((await gateway.providers.models(provider.id)).data.map((each) => each.id)).toContain(model);

    const sent = (await upstreamControl(target.upstreamUrl).requests()).filter((request) => request.headers['x-test-run'] === run);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([`POST ${hostedPrefix}${expected.chatPath}`, `GET ${hostedPrefix}${expected.modelsPath}`]);
    const chat = sent[0]!;
    for (const [name, value] of Object.entries(expected.headers)) expect({ [name]: chat.headers[name] }).toEqual({ [name]: value });
    if (expected.keyless) {
      expect(Object.keys(chat.headers).filter((name) => ['authorization', 'x-api-key', 'api-key'].includes(name))).toEqual([]);
    }
    expect(JSON.parse(chat.body)).toMatchObject({ model, max_tokens: 16 });
  });
});

describe('providerFromPreset', () => {
  it('fills name, base URL, protocol and headers, and leaves the key out unless given', () => {
    expect(providerFromPreset('ollama')).toEqual({ name: 'ollama', baseUrl: 'http://localhost:11434/v1', routingMethod: 'openai', customHeaders: {} });
    expect(providerFromPreset('zai', { apiKey: 'k', customHeaders: { 'X-Extra': '1' } })).toEqual({
      name: 'zai',
      baseUrl: 'https://api.z.ai/api/paas/v4',
      routingMethod: 'openai',
      customHeaders: { 'Accept-Language': 'en-US,en', 'X-Extra': '1' },
      apiKey: 'k',
    });
    expect(() => providerFromPreset('nope')).toThrow('No provider preset "nope"');
  });
});
