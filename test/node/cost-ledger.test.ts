import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createNodeApp } from '../../src/adapter/node/create-node-app.ts';
import { parsePrometheusText } from '../support/parse-prometheus.ts';
import { adminHeaders, ADMIN_TOKEN, behaviourEnvironment } from '../support/target.ts';

// What the ledger's files hold against what GET /usage and GET /metrics say, on Node's default
// backend: every grouping's sums are the sums of the JSON lines, and llm_gateway_cost_usd_total
// (read with Prometheus' own parser) is the lines' cost per provider and model. Lines written
// before costs existed read as costing 0 with no token kinds.

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gateway-cost-ledger-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const environment = (folder: string) => ({ ...behaviourEnvironment, LOG_LEVEL: 'silent', PROVIDERS_FILE: join(folder, 'providers.json') });
const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const PRICING = { 'usage-openai-*': { input: 2.5, output: 10, cachedInput: 1.25 }, 'usage-anthropic-*': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 } };

type Line = Record<string, unknown> & { keyId: string | null; providerId: string; model: string; time: string; costUsd: number | null };

async function linesOf(folder: string): Promise<Line[]> {
  const names = (await readdir(join(folder, 'usage'))).filter((name) => name.endsWith('.jsonl'));
  const texts = await Promise.all(names.map((name) => readFile(join(folder, 'usage', name), 'utf8')));
  return texts.flatMap((text) => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Line));
}

const nanos = (value: unknown) => Math.round(Number(value ?? 0) * 1e9);

describe('the cost in the ledger\'s files, GET /usage and GET /metrics', () => {
  it('agree: every grouping sums the lines, and the cost counter is their cost', async () => {
    const folder = await mkdtemp(join(root, 'sums-'));
    const gateway = await createNodeApp({ environment: environment(folder) });
    const request = (path: string, init?: RequestInit) => Promise.resolve(gateway.app.request(path, init));
    const create = (name: string, routingMethod: string, path: string) =>
      request('/api/v1/providers', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name, baseUrl: `${inject('upstreamUrl')}${path}`, apiKey: 'sk-test-0000000000000000', routingMethod, pricing: PRICING }) }).then((response) => response.json());
    const openai = await create('cost-openai', 'openai', '/openai/v1');
    const anthropic = await create('cost-anthropic', 'anthropic', '/anthropic');
    const providerNames = new Map([[openai.id, openai.name], [anthropic.id, anthropic.name]]);
    const keys = await Promise.all(['a', 'b'].map(async (name) => (await request('/api/v1/keys', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name }) })).json()));
    const send = async (secret: string, path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const response = await request(`/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      expect(response.status).toBe(200);
      await response.text();
    };
    const hi = [{ role: 'user', content: 'Hi' }];
    await send(keys[0].key, '/chat/completions', { model: 'cost-openai/usage-openai-cached', messages: hi });
    await send(keys[0].key, '/chat/completions', { model: 'cost-openai/usage-openai-reasoning', messages: hi, stream: true });
    await send(keys[1].key, '/chat/completions', { model: 'cost-anthropic/usage-anthropic-cache-write', messages: hi, stream: true });
    await send(keys[1].key, '/messages', { model: 'cost-anthropic/usage-anthropic-cache-read', max_tokens: 10, messages: hi });
    await send(keys[1].key, '/responses', { model: 'cost-openai/usage-anthropic-cache-write', input: 'Hi', store: false, stream: true });
    await send(keys[0].key, '/chat/completions', { model: 'cost-openai/unpriced', messages: hi });
    await send(ADMIN_TOKEN, '/chat/completions', { model: 'cost-openai/usage-openai-cached', messages: hi }, { 'x-gateway-cache-ttl': '60' });
    await send(ADMIN_TOKEN, '/chat/completions', { model: 'cost-openai/usage-openai-cached', messages: hi }, { 'x-gateway-cache-ttl': '60' });

    const lines = await linesOf(folder);
    expect(lines).toHaveLength(8);
    expect(lines.filter((line) => line.costUsd === null).map((line) => line.model)).toEqual(['unpriced']);
    expect(lines.filter((line) => line.cached === true).map((line) => line.costUsd)).toEqual([0]);
    const fields = ['promptTokens', 'completionTokens', 'cachedPromptTokens', 'cacheWriteTokens', 'reasoningTokens'] as const;
    const groupValue = { key: (line: Line) => line.keyId, provider: (line: Line) => line.providerId, model: (line: Line) => line.model, day: (line: Line) => line.time.slice(0, 10) };
    for (const groupBy of [[], ['model'], ['provider'], ['key'], ['day'], ['key', 'provider', 'model', 'day']] as Array<Array<keyof typeof groupValue>>) {
      const expected = new Map<string, Record<string, unknown>>();
      for (const line of lines) {
        const id = JSON.stringify(groupBy.map((grouping) => groupValue[grouping](line)));
        const named: Record<string, unknown> = groupBy.includes('provider') ? { providerName: providerNames.get(line.providerId) } : {};
        const row = expected.get(id) ?? { ...Object.fromEntries(groupBy.map((grouping) => [grouping, groupValue[grouping](line)])), ...named, requests: 0, costNanos: 0, unpricedRequests: 0, ...Object.fromEntries(fields.map((field) => [field, 0])) };
        row.requests = Number(row.requests) + 1;
        row.costNanos = Number(row.costNanos) + nanos(line.costUsd);
        row.unpricedRequests = Number(row.unpricedRequests) + (line.costUsd === null ? 1 : 0);
        for (const field of fields) row[field] = Number(row[field]) + Number(line[field]);
        expected.set(id, row);
      }
      const answer = await (await request(`/api/v1/usage?groupBy=${groupBy.join(',')}`, { headers: asAdmin })).json();
      const got = (answer.data as Array<Record<string, unknown>>).map(({ errors: _errors, costUsd, ...rest }) => ({ ...rest, costNanos: nanos(costUsd) }));
      expect(got).toEqual(expect.arrayContaining([...expected.values()]));
      expect(got).toHaveLength(expected.size);
    }

    const samples = parsePrometheusText(await (await request('/metrics', { headers: asAdmin })).text()).filter((sample) => sample.name === 'llm_gateway_cost_usd_total');
    const perSeries = new Map<string, number>();
    for (const line of lines) {
      const provider = line.providerId === openai.id ? 'cost-openai' : 'cost-anthropic';
      const id = `${provider} ${line.model}`;
      perSeries.set(id, (perSeries.get(id) ?? 0) + nanos(line.costUsd));
    }
    for (const [id, total] of perSeries) if (total === 0) perSeries.delete(id);
    expect(new Map(samples.map((sample) => [`${sample.labels.provider} ${sample.labels.model}`, Math.round(Number(sample.value) * 1e9)]))).toEqual(perSeries);
    await gateway.close();
  });

  it('reads lines written before costs existed as costing 0, with no token kinds', async () => {
    const folder = await mkdtemp(join(root, 'old-'));
    await mkdir(join(folder, 'usage'), { recursive: true });
    const old = { time: '2026-11-20T10:00:00.000Z', keyId: null, providerId: 'p-old', model: 'gpt-4o', promptTokens: 100, completionTokens: 20, outcome: 200, latencyMs: 5, timeToFirstTokenMs: null, cached: false };
    await writeFile(join(folder, 'usage', '2026-11.jsonl'), `${JSON.stringify(old)}\n`);
    const gateway = await createNodeApp({ environment: environment(folder) });
    const answer = await (await gateway.app.request('/api/v1/usage?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z', { headers: asAdmin })).json();
    expect(answer.data).toEqual([{ requests: 1, errors: 0, promptTokens: 100, completionTokens: 20, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 0 }]);
    await gateway.close();
  });
});
