import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { CANARY_KEY, createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { readSseData } from '../support/sse.ts';
import { ADMIN_TOKEN, CLIENT_TOKEN, jsonInit, type Target } from '../support/target.ts';

// Custom header values are secrets (contract v1.2, "Hardening"), on both runtimes and on Redis:
// shown in full only to management callers, masked to at most their last 4 characters for the
// client token, sent to the upstream as they were given, and scrubbed from an error the upstream
// repeats them in and from every log line. (That they are encrypted at rest is checked per
// backend: test/node/custom-header-secrets-at-rest.test.ts, test/workers/secrets-at-rest.test.ts.)

const SECRET = 'AIzaSy-CANARY-header-7c1d9e2b4a';
const TITLE = 'behaviour suite';

let target: Target;
const providers: Record<'openai' | 'anthropic', TestProvider> = {} as never;

beforeAll(async () => {
  target = await startBehaviourTarget();
  for (const protocol of ['openai', 'anthropic'] as const) {
    providers[protocol] = await createTestProvider(target, protocol, { customHeaders: { 'X-Goog-Api-Key': SECRET, 'X-Title': TITLE } });
  }
});
afterAll(() => target.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const hi = [{ role: 'user', content: 'Hi' }];

function chat(body: Record<string, unknown>) {
  return target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: hi, ...body }) });
}

describe('custom header values', () => {
  it('are shown in full to management and masked to their last 4 characters for the client token', async () => {
    const { id, run } = providers.openai;
    const full = { 'X-Goog-Api-Key': SECRET, 'X-Title': TITLE, 'x-test-run': run };
    const masked = { 'X-Goog-Api-Key': `…${SECRET.slice(-4)}`, 'X-Title': `…${TITLE.slice(-2)}`, 'x-test-run': `…${run.slice(-4)}` };
    expect((await (await target.fetch(`/providers/${id}`, { headers: bearer(ADMIN_TOKEN) })).json()).customHeaders).toEqual(full);
    expect((await (await target.fetch(`/providers/${id}`, { headers: bearer(CLIENT_TOKEN) })).json()).customHeaders).toEqual(masked);
    const listed = await (await target.fetch('/providers', { headers: bearer(CLIENT_TOKEN) })).json();
    expect(listed.data.find((provider: { id: string }) => provider.id === id).customHeaders).toEqual(masked);
    expect(JSON.stringify(listed)).not.toContain(SECRET);
  });

  it('are answered in full to the management call that wrote them, and can be changed', async () => {
    const name = `headers-${crypto.randomUUID().slice(0, 8)}`;
    const created = await target.fetch('/providers', jsonInit('POST', { name, baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey: 'sk-CANARY-headers-0000000001', routingMethod: 'openai', customHeaders: { 'X-Goog-Api-Key': SECRET } }));
    expect(created.status).toBe(201);
    const provider = await created.json();
    expect(provider.customHeaders).toEqual({ 'X-Goog-Api-Key': SECRET });
    const renamed = await (await target.fetch(`/providers/${provider.id}`, jsonInit('PUT', { name: `${name}-renamed` }))).json();
    expect(renamed.customHeaders).toEqual({ 'X-Goog-Api-Key': SECRET });
    const changed = await (await target.fetch(`/providers/${provider.id}`, jsonInit('PUT', { customHeaders: { 'X-Other': 'another-value-5678' } }))).json();
    expect(changed.customHeaders).toEqual({ 'X-Other': 'another-value-5678' });
    const cleared = await (await target.fetch(`/providers/${provider.id}`, jsonInit('PUT', { customHeaders: {} }))).json();
    expect(cleared.customHeaders).toEqual({});
  });

  it.each(['openai', 'anthropic'] as const)('reach the %s upstream as they were given', async (protocol) => {
    const model = protocol === 'openai' ? 'gpt-test' : 'claude-test';
    expect((await chat({ model: `${providers[protocol].name}/${model}` })).status).toBe(200);
    const sent = (await upstreamRequestsFor(target, providers[protocol])).filter((request) => request.method === 'POST').at(-1)!;
    expect(sent.headers['x-goog-api-key']).toBe(SECRET);
    expect(sent.headers['x-title']).toBe(TITLE);
  });

  it('are carried by an import, and masked for the client token', async () => {
    const name = `imported-${crypto.randomUUID().slice(0, 8)}`;
    const response = await target.fetch('/providers/import', jsonInit('POST', { providers: [{ name, baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey: 'sk-CANARY-import-0000000001', routingMethod: 'openai', customHeaders: { 'X-Goog-Api-Key': SECRET } }] }));
    expect(response.status).toBe(200);
    const imported = (await response.json()).created[0];
    expect(imported.customHeaders).toEqual({ 'X-Goog-Api-Key': SECRET });
    expect((await (await target.fetch(`/providers/${imported.id}`, { headers: bearer(CLIENT_TOKEN) })).json()).customHeaders).toEqual({ 'X-Goog-Api-Key': `…${SECRET.slice(-4)}` });
    expect((await chat({ model: `${name}/gpt-test@import-${crypto.randomUUID().slice(0, 8)}` })).status).toBe(200);
  });

  it.each(['openai', 'anthropic'] as const)('are scrubbed from a %s error that repeats them, before the answer or inside a stream', async (protocol) => {
    const refused = await chat({ model: `${providers[protocol].name}/echo-headers` });
    expect(refused.status).toBe(502);
    const streamed = await chat({ model: `${providers[protocol].name}/echo-headers`, stream: true });
    expect(streamed.status).toBe(200);
    const failure = (await readSseData(streamed)).at(-1)!;
    for (const text of [await refused.text(), failure]) {
      expect(JSON.parse(text).error.code).toBe('PROVIDER_ERROR');
      // The error still says what the upstream said, less the values.
      expect(text).toContain('x-title=');
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TITLE);
      expect(text).not.toContain(CANARY_KEY);
    }
  });

  it('are scrubbed from a provider check that fails on them', async () => {
    const tested = await (await target.fetch(`/providers/${providers.openai.id}/test`, jsonInit('POST', { model: 'echo-headers' }))).json();
    expect(tested.ok).toBe(false);
    expect(JSON.stringify(tested)).not.toContain(SECRET);
  });

  it('are in no log line of this run', async () => {
    // A stream through both protocols first, so its completion lines are in the logs too.
    for (const protocol of ['openai', 'anthropic'] as const) await readSseData(await chat({ model: `${providers[protocol].name}/gpt-test`, stream: true }));
    const logs = target.logs().join('\n');
    expect(logs.length).toBeGreaterThan(0);
    // The failures above are logged, with what the upstream said.
    expect(logs).toContain('"code":"PROVIDER_ERROR"');
    expect(logs).not.toContain(CANARY_KEY);
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain(TITLE);
  });
});
