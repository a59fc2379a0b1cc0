import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { createGatewayClient, type ResponseInfo } from 'llm-gateway-client';
import { HELLO_TEXT } from '../support/fake-upstream/scenarios.ts';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { readSseData } from '../support/sse.ts';
import { adminHeaders, CLIENT_TOKEN, jsonInit, type Target } from '../support/target.ts';

// Provider names in any script, on both runtimes: a name outside Latin-1 used to be stored, and then
// every chat through it answered 500 after the upstream had answered, because X-Gateway-Provider
// could not carry it. Now the header carries the name percent-encoded as UTF-8 (README, "Names
// in any script"), every route answers as it does for an ASCII name, and what no name may hold
// (control characters, unpaired surrogates, bytes that are not UTF-8) is refused when it is saved.

let target: Target;
beforeAll(async () => {
  target = await startBehaviourTarget();
});
afterAll(() => target.close());

const run = crypto.randomUUID().slice(0, 8);
const protocols = ['openai', 'anthropic'] as const;
const defaultModel = { openai: 'gpt-test', anthropic: 'claude-test' } as const;

// [what, the name, X-Gateway-Provider as it must be sent]
const names: Array<[string, string, string]> = [
  ['Japanese', `日本語プロバイダ-${run}`, `%E6%97%A5%E6%9C%AC%E8%AA%9E%E3%83%97%E3%83%AD%E3%83%90%E3%82%A4%E3%83%80-${run}`],
  ['Arabic', `مزوّد عربي-${run}`, `%D9%85%D8%B2%D9%88%D9%91%D8%AF %D8%B9%D8%B1%D8%A8%D9%8A-${run}`],
  ['emoji', `👩‍💻 coder 🤖-${run}`, `%F0%9F%91%A9%E2%80%8D%F0%9F%92%BB coder %F0%9F%A4%96-${run}`],
  ['Latin-1 and %', `100% café-${run}`, `100%25 caf%C3%A9-${run}`],
];

function chat(model: string, init: { stream?: boolean; headers?: Record<string, string>; models?: string[] } = {}) {
  const body = { model, messages: [{ role: 'user', content: 'Hi' }], stream: init.stream ?? false, ...(init.models ? { models: init.models } : {}) };
  return target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: JSON.stringify(body) });
}

/** Every answer a provider's name could change, with the name itself taken out. */
async function observe(provider: TestProvider, protocol: (typeof protocols)[number]) {
  const model = `${provider.name}/${defaultModel[protocol]}`;
  const seen: string[] = [];
  const header = (response: Response) => {
    seen.push(response.headers.get('x-gateway-provider')!);
    return response.status;
  };

  const json = await chat(model);
  const completion = await json.json();
  const stream = await chat(model, { stream: true });
  const streamStatus = header(stream);
  const frames = await readSseData(stream);
  const cacheTtl = { 'x-gateway-cache-ttl': '60' };
  const miss = await chat(model, { headers: cacheTtl });
  const hit = await chat(model, { headers: cacheTtl, stream: true });
  const fallback = await chat(`${failing.name}/always-500`, { models: [model] });

  const gateway = createGatewayClient({ baseUrl: target.apiBase, token: CLIENT_TOKEN, fetch: target.rawFetch });
  const infos: ResponseInfo[] = [];
  await gateway.chat({ model, messages: [{ role: 'user', content: 'Hi' }] }, { onResponse: (info) => infos.push(info) });
  for await (const _chunk of gateway.streamChat({ model, messages: [{ role: 'user', content: 'Hi' }] }, { onResponse: (info) => infos.push(info) }));

  const health = await (await target.fetch(`/providers/${provider.id}/health`)).json();
  const test = await (await target.fetch(`/providers/${provider.id}/test`, { method: 'POST', headers: adminHeaders })).json();
  const testModel = await (await target.fetch(`/providers/${provider.id}/test`, jsonInit('POST', { model: defaultModel[protocol] }))).json();
  const models = await (await target.fetch(`/providers/${provider.id}/models`)).json();
  const catalogue = (await (await target.fetch('/models')).json()).data.filter((entry: { owned_by: string }) => entry.owned_by === provider.name);

  return {
    statuses: [header(json), streamStatus, header(miss), header(hit), header(fallback)],
    cacheStatuses: [miss.headers.get('x-gateway-cache-status'), hit.headers.get('x-gateway-cache-status')],
    headers: seen,
    clientSees: infos.map((info) => info.provider),
    text: [completion.choices[0].message.content, frames.slice(0, -1).map((frame) => JSON.parse(frame).choices[0]?.delta.content ?? '').join(''), frames.at(-1)],
    fallbackModel: (await fallback.json()).model,
    health: { status: health.status, error: health.error, circuit: health.circuit },
    test: [test.ok, test.error, testModel.ok, testModel.error],
    models: models.data.map((entry: { id: string }) => entry.id),
    catalogue: catalogue.map((entry: { id: string }) => entry.id.slice(provider.name.length)),
    sent: (await upstreamRequestsFor(target, provider)).length,
  };
}

let failing: TestProvider;
beforeAll(async () => {
  failing = await createTestProvider(target, 'openai');
});

describe.each(protocols)('a provider named in any script answers every route as an ASCII name does, %s protocol', (protocol) => {
  let expected: Awaited<ReturnType<typeof observe>>;
  beforeAll(async () => {
    const ascii = await createTestProvider(target, protocol);
    expected = await observe(ascii, protocol);
    // The baseline itself: everything served, the name in the header as it is.
    expect(expected.statuses).toEqual([200, 200, 200, 200, 200]);
    expect(expected.headers).toEqual(Array(5).fill(ascii.name));
    expect(expected.clientSees).toEqual([ascii.name, ascii.name]);
    expect(expected.text).toEqual([HELLO_TEXT, HELLO_TEXT, '[DONE]']);
    expect(expected.health).toEqual({ status: 'ok', error: undefined, circuit: 'closed' });
    expect(expected.test).toEqual([true, undefined, true, undefined]);
  });

  it.each(names)('%s', async (_, sharedName, sharedHeader) => {
    // Names are unique: the protocol's own, at the end where it changes nothing the test is about.
    const [name, header] = [`${sharedName}-${protocol}`, `${sharedHeader}-${protocol}`];
    const provider = await createTestProvider(target, protocol, { name });
    const stored = await (await target.fetch(`/providers/${provider.id}`)).json();
    expect(stored.name).toBe(name);

    const seen = await observe(provider, protocol);
    expect(seen.headers).toEqual(Array(5).fill(header));
    expect(seen.clientSees).toEqual([name, name]);
    expect({ ...seen, headers: expected.headers, clientSees: expected.clientSees }).toEqual(expected);
  });
});

describe('what no name may hold is refused when it is saved, with nothing stored', () => {
  const refusedMark = `refused-${run}`;
  const refused: Array<[string, string]> = [
    ['an unpaired high surrogate', `\ud800-${refusedMark}`],
    ['an unpaired low surrogate', `a\udc00b-${refusedMark}`],
    ['a reversed surrogate pair', `\udc00\ud800-${refusedMark}`],
    ['a C0 control (BEL)', `bell\u0007-${refusedMark}`],
    ['a tab', `tab\tbed-${refusedMark}`],
    ['DEL', `del\u007f-${refusedMark}`],
    ['a C1 control (NEL)', `nel\u0085-${refusedMark}`],
    ['a line separator', `line\u2028-${refusedMark}`],
    ['a paragraph separator', `para\u2029-${refusedMark}`],
    ['a right-to-left override', `evil\u202egpj-${refusedMark}`],
    ['a first-strong isolate', `iso\u2068late-${refusedMark}`],
  ];
  const issue = 'must not contain control characters, unpaired surrogates, line or paragraph separators, or bidirectional controls';
  const nameError = { code: 'VALIDATION_ERROR', message: `Invalid name: ${issue}`, details: { field: 'name', issue, issues: [{ field: 'name', issue }] } };
  const entry = (name: string) => ({ name, baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey: 'sk-test-names-0000', routingMethod: 'openai' });

  let existing: TestProvider;
  beforeAll(async () => {
    existing = await createTestProvider(target, 'openai');
  });

  it.each(refused)('%s: create, update, import and access keys answer 400 naming the field', async (_, name) => {
    const created = await target.fetch('/providers', jsonInit('POST', entry(name)));
    expect(created.status).toBe(400);
    expect(await created.json()).toEqual({ error: nameError });

    const updated = await target.fetch(`/providers/${existing.id}`, jsonInit('PUT', { name }));
    expect(updated.status).toBe(400);
    expect(await updated.json()).toEqual({ error: nameError });

    const imported = await target.fetch('/providers/import', jsonInit('POST', { providers: [entry(`fine-${run}`), entry(name)] }));
    expect(imported.status).toBe(400);
    expect(await imported.json()).toEqual({ error: { code: 'VALIDATION_ERROR', message: `Invalid entry 1: name: ${issue}`, details: { index: 1, field: 'name', issue } } });

    const key = await target.fetch('/keys', jsonInit('POST', { name }));
    expect(key.status).toBe(400);
    expect(await key.json()).toEqual({ error: nameError });

    const list = (await (await target.fetch('/providers')).json()).data.map((provider: { name: string }) => provider.name);
    expect(list).toContain(existing.name);
    expect(list.filter((stored: string) => stored === `fine-${run}` || stored.endsWith(refusedMark))).toEqual([]);
  });
});

describe('a model name is text a ledger, a log line and a metrics label can hold', () => {
  it.each([
    ['a line break', 'gpt\ntest'],
    ['a NUL', 'gpt\u0000test'],
    ['an unpaired surrogate', 'gpt\ud800test'],
  ])('%s in model or models is refused before anything is sent', async (_, upstreamModel) => {
    const provider = await createTestProvider(target, 'openai');
    const issue = 'must not contain control characters or unpaired surrogates';
    for (const [body, field] of [
      [{ model: `${provider.name}/${upstreamModel}` }, 'model'],
      [{ model: `${provider.name}/gpt-test`, models: [`${provider.name}/${upstreamModel}`] }, 'models[0]'],
    ] as const) {
      const response = await target.fetch('/chat/completions', jsonInit('POST', { ...body, messages: [{ role: 'user', content: 'Hi' }] }));
      expect(response.status).toBe(400);
      expect((await response.json()).error).toEqual({ code: 'VALIDATION_ERROR', message: `Invalid ${field}: ${issue}`, details: { field, issue, issues: [{ field, issue }] } });
    }
    expect(await upstreamRequestsFor(target, provider)).toEqual([]);
  });
});

describe('a body is read as UTF-8, and refused when it is not', () => {
  const encoder = new TextEncoder();
  /** The bytes of a provider's JSON with `name` spliced in as raw bytes. */
  function providerBytes(nameBytes: number[]): Uint8Array<ArrayBuffer> {
    const [before, after] = JSON.stringify({ name: '\u0000', baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey: 'sk-test-names-0000', routingMethod: 'openai' }).split('\\u0000');
    return new Uint8Array([...encoder.encode(before), ...nameBytes, ...encoder.encode(after)]);
  }
  const post = (path: string, body: BodyInit, contentType: string) =>
    target.fetch(path, { method: 'POST', headers: { ...adminHeaders, 'content-type': contentType }, body });
  const latin1Name = [...encoder.encode(`caf`), 0xe9, ...encoder.encode(`-${run}`)]; // "café" in ISO-8859-1

  it('refuses bytes that are not UTF-8 on every route that reads a body, before anything is stored or sent', async () => {
    const notUtf8 = { code: 'VALIDATION_ERROR', message: 'The request body is not valid UTF-8', details: { field: 'body' } };
    for (const bytes of [latin1Name, [0x61, 0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xe6, 0x97]]) {
      const response = await post('/providers', providerBytes(bytes), 'application/json');
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: notUtf8 });
    }

    const provider = await createTestProvider(target, 'openai');
    const chatBytes = new Uint8Array([...encoder.encode(`{"model":"${provider.name}/gpt-test","messages":[{"role":"user","content":"caf`), 0xe9, ...encoder.encode('"}]}')]);
    const chatResponse = await post('/chat/completions', chatBytes, 'application/json');
    expect(chatResponse.status).toBe(400);
    expect(await chatResponse.json()).toEqual({ error: notUtf8 });
    const test = await post(`/providers/${provider.id}/test`, new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), 'application/json');
    expect(test.status).toBe(400);
    expect(await test.json()).toEqual({ error: notUtf8 });
    expect(await upstreamRequestsFor(target, provider)).toEqual([]);
  });

  it.each(['iso-8859-1', 'ISO-8859-1', '"latin1"', 'windows-1252', 'us-ascii', 'utf-16', 'x-unknown'])('refuses a body that declares charset=%s, even one in ASCII', async (charset) => {
    const response = await post('/providers', providerBytes([...encoder.encode(`ascii-${run}`)]), `application/json; charset=${charset}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'VALIDATION_ERROR',
        message: `Content-Type declares charset=${charset.replaceAll('"', '')}: send the body as UTF-8, with charset=utf-8 or no charset`,
        details: { field: 'Content-Type' },
      },
    });
  });

  it.each([
    ['no charset', 'application/json'],
    ['charset=utf-8', 'application/json; charset=utf-8'],
    ['charset="UTF-8" (quoted)', 'application/json;charset="UTF-8"'],
    ['charset=utf8', 'application/json; charset=utf8'],
  ])('stores a UTF-8 name sent with %s exactly, a byte-order mark dropped', async (label, contentType) => {
    const name = `日本語 ${label.replaceAll('"', '')}-${run}`;
    const withMark = new Uint8Array([0xef, 0xbb, 0xbf, ...providerBytes([...encoder.encode(name)])]);
    const response = await post('/providers', withMark, contentType);
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created.name).toBe(name);
    expect((await (await target.fetch(`/providers/${created.id}`)).json()).name).toBe(name);
  });
});
