// Every resolver here is a fake that records its calls: no real DNS lookup ever happens,
// and the only sockets opened go to a canary server on 127.0.0.1.
import http from 'node:http';
import { isIP, type AddressInfo, type LookupFunction } from 'node:net';
import dns, { type LookupAddress } from 'node:dns';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { parseUpstreamPolicy } from '../../security/parse-upstream-policy.ts';
import { createGuardedConnector, createGuardedLookup, UpstreamBlockedConnectError } from './guarded-lookup.js';

const DENY = parseUpstreamPolicy(undefined);

// Tripwire: the real resolver must never be asked about a name from this file (net.connect
// falls back to dns.lookup when no custom lookup is given). Such a call fails instead of querying.
const realLookup = dns.lookup;
const realDnsHits: string[] = [];
beforeAll(() => {
  (dns as { lookup: unknown }).lookup = (hostname: string, ...rest: unknown[]) => {
    // IP literals (server.listen on 127.0.0.1) are answered by Node without any query.
    if (isIP(hostname) !== 0) return (realLookup as (...args: unknown[]) => unknown)(hostname, ...rest);
    realDnsHits.push(hostname);
    const callback = rest[rest.length - 1] as (error: Error) => void;
    process.nextTick(callback, new Error('real DNS is forbidden in tests'));
  };
});
afterAll(() => {
  (dns as { lookup: unknown }).lookup = realLookup;
  expect(realDnsHits).toEqual([]);
});
const ALLOW_PRIVATE = parseUpstreamPolicy('true');

interface ResolverCall {
  hostname: string;
  options: Parameters<LookupFunction>[1];
}

/** A fake dns.lookup: answers from a script (one entry per call, last one repeats), records calls. */
function fakeResolver(script: Record<string, Array<string[] | Error>>) {
  const calls: ResolverCall[] = [];
  const counts = new Map<string, number>();
  const resolve: LookupFunction = (hostname, options, callback) => {
    calls.push({ hostname, options: { ...options } });
    const answers = script[hostname];
    const n = counts.get(hostname) ?? 0;
    counts.set(hostname, n + 1);
    const answer = answers?.[Math.min(n, answers.length - 1)];
    setImmediate(() => {
      if (answer === undefined) {
        const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        error.code = 'ENOTFOUND';
        callback(error, options.all ? [] : '');
        return;
      }
      if (answer instanceof Error) {
        callback(answer, options.all ? [] : '');
        return;
      }
      const list: LookupAddress[] = answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
      if (options.all) callback(null, list);
      else callback(null, list[0]?.address ?? '', list[0]?.family);
    });
  };
  return { resolve, calls };
}

type LookupResult = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

function runLookup(lookup: LookupFunction, hostname: string, options: Parameters<LookupFunction>[1]): Promise<LookupResult> {
  return new Promise((resolve) => {
    let calls = 0;
    lookup(hostname, options, (error, address, family) => {
      calls++;
      expect(calls).toBe(1);
      resolve({ error, address, family });
    });
  });
}

function expectBlocked(result: LookupResult, ...mustNotMention: string[]) {
  expect(result.error).toBeInstanceOf(UpstreamBlockedConnectError);
  expect(result.error?.code).toBe('EUPSTREAMBLOCKED');
  for (const secret of mustNotMention) expect(result.error?.message).not.toContain(secret);
}

describe('createGuardedLookup (injected resolver)', () => {
  it('passes public addresses through, for all: true and all: false', async () => {
    const { resolve, calls } = fakeResolver({ 'api.example.com': [['93.184.215.14', '2606:2800:21f:cb07::1']] });
    const lookup = createGuardedLookup(DENY, resolve)(443);

    const all = await runLookup(lookup, 'api.example.com', { all: true, family: 0 });
    expect(all.error).toBeNull();
    expect(all.address).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07::1', family: 6 },
    ]);

    const one = await runLookup(lookup, 'api.example.com', { family: 4, hints: 32 });
    expect(one).toEqual({ error: null, address: '93.184.215.14', family: 4 });

    // The real resolver is always asked for every address; other options pass through.
    expect(calls).toEqual([
      { hostname: 'api.example.com', options: { all: true, family: 0 } },
      { hostname: 'api.example.com', options: { all: true, family: 4, hints: 32 } },
    ]);
  });

  it('refuses DNS rebinding: public on the first lookup, loopback on the second', async () => {
    const { resolve, calls } = fakeResolver({ 'rebind.example': [['93.184.215.14'], ['127.0.0.1']] });
    const lookup = createGuardedLookup(DENY, resolve)(80);

    const first = await runLookup(lookup, 'rebind.example', { all: true });
    expect(first.error).toBeNull();
    const second = await runLookup(lookup, 'rebind.example', { all: true });
    expectBlocked(second, '127.0.0.1', 'rebind.example');
    expect(second.address).toEqual([]);
    expect(calls).toHaveLength(2);
  });

  it.each([
    [['127.0.0.1']],
    [['::1']],
    [['::ffff:127.0.0.1']],
    [['10.0.0.7']],
    [['fe80::1%eth0']],
    [['64:ff9b::a00:1']],
    [['169.254.169.254']],
    [['93.184.215.14', '10.0.0.7']], // ANY private record poisons the answer
    [['2606:2800:21f:cb07::1', 'fd00::1']],
    [['not-an-address']], // junk from a custom resolver: fail closed
  ])('refuses %j under the default policy, with all: true and all: false', async (addresses) => {
    const { resolve } = fakeResolver({ 'evil.example': [addresses] });
    const lookup = createGuardedLookup(DENY, resolve)(443);
    const all = await runLookup(lookup, 'evil.example', { all: true });
    expectBlocked(all, ...addresses);
    expect(all.address).toEqual([]);
    const one = await runLookup(lookup, 'evil.example', {});
    expectBlocked(one, ...addresses);
    expect(one.address).toBe('');
  });

  it('allows private addresses with allowPrivate, never metadata', async () => {
    const { resolve } = fakeResolver({
      'nas.example': [['192.168.1.10']],
      'meta.example': [['169.254.169.254']],
      'meta6.example': [['fd00:ec2::254']],
      'mixed.example': [['10.0.0.1', '100.100.100.200']],
    });
    const lookup = createGuardedLookup(ALLOW_PRIVATE, resolve)(80);
    expect((await runLookup(lookup, 'nas.example', {})).address).toBe('192.168.1.10');
    expectBlocked(await runLookup(lookup, 'meta.example', {}));
    expectBlocked(await runLookup(lookup, 'meta6.example', { all: true }));
    expectBlocked(await runLookup(lookup, 'mixed.example', { all: true }));
  });

  it('refuses blocked names without resolving them', async () => {
    const { resolve, calls } = fakeResolver({ localhost: [['127.0.0.1']], 'metadata.google.internal': [['8.8.8.8']] });
    expectBlocked(await runLookup(createGuardedLookup(DENY, resolve)(80), 'localhost', {}));
    expectBlocked(await runLookup(createGuardedLookup(DENY, resolve)(80), 'LOCALHOST.', {}));
    expectBlocked(await runLookup(createGuardedLookup(ALLOW_PRIVATE, resolve)(80), 'metadata.google.internal', {}));
    expect(calls).toEqual([]);

    const ok = await runLookup(createGuardedLookup(ALLOW_PRIVATE, resolve)(80), 'localhost', {});
    expect(ok).toEqual({ error: null, address: '127.0.0.1', family: 4 });
    expect(calls).toHaveLength(1);
  });

  it('matches the allow-list on host:port, or on the host alone when the port is unknown', async () => {
    const policy = parseUpstreamPolicy('ollama.local:11434');
    const { resolve, calls } = fakeResolver({ 'ollama.local': [['192.168.1.20']], 'other.example': [['192.168.1.20']] });
    const factory = createGuardedLookup(policy, resolve);

    expect((await runLookup(factory(11434), 'ollama.local', {})).address).toBe('192.168.1.20');
    expect((await runLookup(factory(), 'ollama.local', {})).address).toBe('192.168.1.20');
    expectBlocked(await runLookup(factory(80), 'ollama.local', {})); // wrong port: refused before DNS
    expect(calls).toHaveLength(2);
    // Same private address under a name that is not listed: refused after resolving.
    expectBlocked(await runLookup(factory(11434), 'other.example', {}));
    expectBlocked(await runLookup(factory(), 'other.example', {}));
  });

  it('passes resolver errors through and turns an empty answer into ENOTFOUND', async () => {
    const refused: NodeJS.ErrnoException = Object.assign(new Error('queryA ESERVFAIL x'), { code: 'ESERVFAIL' });
    const { resolve } = fakeResolver({ 'fail.example': [refused], 'empty.example': [[]] });
    const lookup = createGuardedLookup(DENY, resolve)(443);
    expect((await runLookup(lookup, 'fail.example', {})).error).toBe(refused);
    expect((await runLookup(lookup, 'nope.example', { all: true })).error?.code).toBe('ENOTFOUND');
    const empty = await runLookup(lookup, 'empty.example', { all: true });
    expect(empty.error?.code).toBe('ENOTFOUND');
    expect(empty.address).toEqual([]);
  });

  it('copes with resolvers that throw, ignore `all`, or call back twice', async () => {
    const throwing: LookupFunction = () => {
      throw new Error('boom');
    };
    expect((await runLookup(createGuardedLookup(DENY, throwing)(443), 'x.example', {})).error?.message).toBe('boom');

    const singleOnly: LookupFunction = (_host, _options, callback) => setImmediate(() => callback(null, '127.0.0.1', 4));
    expectBlocked(await runLookup(createGuardedLookup(DENY, singleOnly)(443), 'x.example', { all: true }));
    const singlePublic: LookupFunction = (_host, _options, callback) => setImmediate(() => callback(null, '8.8.4.4', 4));
    expect(await runLookup(createGuardedLookup(DENY, singlePublic)(443), 'x.example', { all: true })).toEqual({
      error: null,
      address: [{ address: '8.8.4.4', family: 4 }],
      family: undefined,
    });

    const twice: LookupFunction = (_host, _options, callback) => {
      callback(null, [{ address: '8.8.4.4', family: 4 }]);
      callback(null, [{ address: '127.0.0.1', family: 4 }]);
    };
    // runLookup asserts the callback fires exactly once
    expect((await runLookup(createGuardedLookup(DENY, twice)(443), 'x.example', {})).address).toBe('8.8.4.4');
  });

  it('UpstreamBlockedConnectError is a plain Error with a stable code', () => {
    const error = new UpstreamBlockedConnectError();
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('EUPSTREAMBLOCKED');
    expect(error.name).toBe('UpstreamBlockedConnectError');
  });

  it('createGuardedConnector refuses options that would bypass the guard', () => {
    const bypassLookup = { lookup: () => undefined } as never;
    expect(() => createGuardedConnector(DENY, { connect: bypassLookup })).toThrow(/bypass/);
    expect(() => createGuardedConnector(DENY, { connect: { socketPath: '/tmp/x.sock' } })).toThrow(/bypass/);
  });
});

// ---------------------------------------------------------------------------------------
// End to end through undici and Node's net stack. Only 127.0.0.1 is ever dialled.
// ---------------------------------------------------------------------------------------

describe('end to end: undici Agent + guarded lookup + loopback canary', () => {
  let server: http.Server;
  let port: number;
  let connections: number;
  let agents: Agent[];

  beforeEach(async () => {
    connections = 0;
    agents = [];
    server = http.createServer((_req, res) => res.end('canary'));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await Promise.all(agents.map((agent) => agent.destroy()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const agent = (options: ConstructorParameters<typeof Agent>[0]) => {
    const created = new Agent(options);
    agents.push(created);
    return created;
  };

  const get = async (url: string, dispatcher: Agent) => {
    const response = await request(url, { dispatcher });
    return { status: response.statusCode, body: await response.body.text() };
  };

  const rebindToLoopback = () => fakeResolver({ 'rebind.test': [['127.0.0.1']] });

  it.each([
    ['autoSelectFamily (lookup called with all: true)', true],
    ['single family (lookup called with all: false)', false],
  ])('connect.lookup refuses a name that resolves to loopback — %s', async (_label, autoSelectFamily) => {
    const { resolve, calls } = rebindToLoopback();
    const lookup = createGuardedLookup(DENY, resolve)();
    const dispatcher = agent({ connect: { lookup, autoSelectFamily } });

    const failure = await get(`http://rebind.test:${port}/`, dispatcher).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamBlockedConnectError);
    expect((failure as UpstreamBlockedConnectError).code).toBe('EUPSTREAMBLOCKED');
    expect(connections).toBe(0);
    expect(calls.map((call) => call.hostname)).toEqual(['rebind.test']); // the guard really was consulted
  });

  it.each([true, false])('connect.lookup lets it through when private upstreams are allowed (autoSelectFamily %s)', async (autoSelectFamily) => {
    const { resolve, calls } = rebindToLoopback();
    const lookup = createGuardedLookup(ALLOW_PRIVATE, resolve)();
    const dispatcher = agent({ connect: { lookup, autoSelectFamily } });

    expect(await get(`http://rebind.test:${port}/`, dispatcher)).toEqual({ status: 200, body: 'canary' });
    expect(connections).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it('guarded connector: refuses by name, allows the exact allow-listed host:port', async () => {
    const { resolve, calls } = rebindToLoopback();

    const denied = agent({ connect: createGuardedConnector(DENY, { resolve }) });
    await expect(get(`http://rebind.test:${port}/`, denied)).rejects.toBeInstanceOf(UpstreamBlockedConnectError);

    const otherPort = port === 65535 ? port - 1 : port + 1;
    const wrongPort = agent({ connect: createGuardedConnector(parseUpstreamPolicy(`rebind.test:${otherPort}`), { resolve }) });
    await expect(get(`http://rebind.test:${port}/`, wrongPort)).rejects.toMatchObject({ code: 'EUPSTREAMBLOCKED' });
    expect(connections).toBe(0);
    // rebind.test is a public-looking name, so both were resolved and refused on the address.
    expect(calls).toHaveLength(2);

    const listed = agent({ connect: createGuardedConnector(parseUpstreamPolicy(`rebind.test:${port}`), { resolve }) });
    expect(await get(`http://rebind.test:${port}/`, listed)).toEqual({ status: 200, body: 'canary' });
    expect(connections).toBe(1);
  });

  it('guarded connector: checks IP-literal hosts, which Node never passes to lookup', async () => {
    const { resolve, calls } = fakeResolver({});

    const denied = agent({ connect: createGuardedConnector(DENY, { resolve }) });
    await expect(get(`http://127.0.0.1:${port}/`, denied)).rejects.toMatchObject({ code: 'EUPSTREAMBLOCKED' });
    await expect(get(`http://[::ffff:127.0.0.1]:${port}/`, denied)).rejects.toMatchObject({ code: 'EUPSTREAMBLOCKED' });
    expect(connections).toBe(0);

    // Plain connect.lookup cannot see IP literals: this is why the URL check is still required.
    const lookupOnly = agent({ connect: { lookup: createGuardedLookup(DENY, resolve)() } });
    expect((await get(`http://127.0.0.1:${port}/`, lookupOnly)).status).toBe(200);
    expect(connections).toBe(1);

    const listed = agent({ connect: createGuardedConnector(parseUpstreamPolicy(`127.0.0.1:${port}`), { resolve }) });
    expect((await get(`http://127.0.0.1:${port}/`, listed)).status).toBe(200);
    expect(connections).toBe(2);
    expect(calls).toEqual([]);
  });
});
