import { jsonInit, type Target } from './target.ts';
import { upstreamControl } from './upstream-control.ts';

export const CANARY_KEY = 'sk-CANARY-chat-9a8b7c6d5e4f3a2b1c0d';

export interface TestProvider {
  id: string;
  name: string;
  /** Sent by the provider as a custom header, so a test finds its own requests at the shared fake upstream. */
  run: string;
}

/** A provider on the fake upstream, tagged with a header unique to it. */
export async function createTestProvider(
  target: Target,
  routingMethod: 'openai' | 'anthropic',
  options: { name?: string; apiKey?: string; baseUrl?: string; customHeaders?: Record<string, string>; responsesApi?: boolean; pricing?: Record<string, Record<string, number>> } = {},
): Promise<TestProvider> {
  const run = crypto.randomUUID();
  const response = await target.fetch(
    '/providers',
    jsonInit('POST', {
      name: options.name ?? `${routingMethod}-${run.slice(0, 8)}`,
      baseUrl: options.baseUrl ?? (routingMethod === 'openai' ? `${target.upstreamUrl}/openai/v1` : `${target.upstreamUrl}/anthropic`),
      apiKey: options.apiKey ?? CANARY_KEY,
      routingMethod,
      customHeaders: { 'x-test-run': run, ...options.customHeaders },
      ...(options.responsesApi === undefined ? {} : { responsesApi: options.responsesApi }),
      ...(options.pricing === undefined ? {} : { pricing: options.pricing }),
    }),
  );
  if (response.status !== 201) throw new Error(`provider not created: ${response.status} ${await response.text()}`);
  const provider = await response.json();
  return { id: provider.id, name: provider.name, run };
}

/** What the fake upstream received from this provider. */
export async function upstreamRequestsFor(target: Target, provider: TestProvider) {
  return (await upstreamControl(target.upstreamUrl).requests()).filter((request) => request.headers['x-test-run'] === provider.run);
}
