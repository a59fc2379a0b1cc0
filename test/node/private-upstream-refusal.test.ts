import { afterAll, beforeAll, expect, it } from 'vitest';
import { providerFromPreset } from 'llm-gateway-client/presets';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { jsonInit } from '../support/target.ts';

// A local server (the Ollama preset) on a gateway that keeps the default outbound policy: the
// refusal names the setting that allows it. Node only because the policy is set per server and
// the Workers target's bindings allow private upstreams for the whole behaviour suite; the refusal
// itself is core code (providers/provider-service.ts), the same on both runtimes. That nothing is
// connected to before the refusal is proved in test/node/security.test.ts.

let target: NodeTarget;
beforeAll(async () => {
  target = await startTarget({ ALLOW_PRIVATE_UPSTREAMS: undefined });
});
afterAll(() => target.close());

it('refuses a local base URL with a message that names ALLOW_PRIVATE_UPSTREAMS', async () => {
  const response = await target.fetch('/providers', jsonInit('POST', providerFromPreset('ollama', { name: `ollama-${crypto.randomUUID().slice(0, 8)}` })));
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({
    error: {
      code: 'VALIDATION_ERROR',
      message:
        'baseUrl is not allowed by this server\'s outbound policy. Loopback, private and link-local addresses (a local Ollama, vLLM or LM Studio) need ALLOW_PRIVATE_UPSTREAMS=true, or a comma list of host:port, on the gateway; the instance endpoints of a cloud host never are.',
      details: { field: 'baseUrl', issue: 'address not allowed', setting: 'ALLOW_PRIVATE_UPSTREAMS' },
    },
  });
});
