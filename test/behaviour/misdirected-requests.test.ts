import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { CLIENT_TOKEN, type Target } from '../support/target.ts';

// Requests that miss (contract v1.2, "What new users ran into"), on both runtimes: a base URL
// without /api is told the path it meant; a browser origin outside ALLOWED_ORIGINS is named to
// the operator, once.

let target: Target;
beforeAll(async () => {
  target = await startBehaviourTarget();
});
afterAll(() => target.close());

const gatewayOrigin = () => new URL(target.apiBase).origin;

describe('a request under /v1 (a base URL without /api)', () => {
  it('answers 404 naming the /api/v1 path it meant', async () => {
    const response = await target.rawFetch(`${gatewayOrigin()}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${CLIENT_TOKEN}`, 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(await response.json()).toEqual({
      error: {
        code: 'NOT_FOUND',
        message:
          'Route POST /v1/chat/completions not found: the API is under /api/v1, so this is POST /api/v1/chat/completions. An OpenAI SDK\'s base URL ends in /api/v1, the Anthropic SDK\'s in /api.',
        details: { path: '/api/v1/chat/completions' },
      },
    });
  });

  it('is what the openai SDK shows for a base URL without /api', async () => {
    const client = new OpenAI({ apiKey: CLIENT_TOKEN, baseURL: `${gatewayOrigin()}/v1`, fetch: target.rawFetch, maxRetries: 0 });
    const error = await client.models.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).message).toBe(
      '404 Route GET /v1/models not found: the API is under /api/v1, so this is GET /api/v1/models. An OpenAI SDK\'s base URL ends in /api/v1, the Anthropic SDK\'s in /api.',
    );
  });
});

describe('a browser origin outside ALLOWED_ORIGINS', () => {
  it('is named once, as a warning, however often it calls; allowed origins and the gateway\'s own pages are not', async () => {
    const refused = `https://refused-${crypto.randomUUID().slice(0, 8)}.example`;
    const other = `https://other-${crypto.randomUUID().slice(0, 8)}.example`;
    const from = (pageOrigin: string) => target.fetch('/models', { headers: { origin: pageOrigin } });
    for (const pageOrigin of [refused, refused, other, refused, 'https://app.example.com', gatewayOrigin()]) {
      const response = await from(pageOrigin);
      expect(response.status).toBe(200);
      await response.body?.cancel();
    }
    const preflight = await target.fetch('/models', { method: 'OPTIONS', headers: { origin: refused, 'access-control-request-method': 'GET' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

    const warnings = target
      .logs()
      .map((line) => JSON.parse(line) as { level: string; message: string; origin?: string })
      .filter((line) => line.message.startsWith('CORS:'));
    expect(warnings.filter((line) => line.origin === refused || line.origin === other)).toEqual([
      { time: expect.any(String), level: 'warn', message: 'CORS: refused a browser origin that is not in ALLOWED_ORIGINS; add it there to let its pages call the API', origin: refused },
      { time: expect.any(String), level: 'warn', message: 'CORS: refused a browser origin that is not in ALLOWED_ORIGINS; add it there to let its pages call the API', origin: other },
    ]);
    expect(warnings.map((line) => line.origin)).not.toContain('https://app.example.com');
    expect(warnings.map((line) => line.origin)).not.toContain(gatewayOrigin());
  });
});
