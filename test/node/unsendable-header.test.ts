import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestProvider, upstreamRequestsFor } from '../support/providers.ts';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { chatWith, expectRefusedBeforeSending, expectServedUnderPlantedName, PLANTED_NAME } from '../support/unsendable-header.ts';

// A providers.json edited by hand: a custom header value with a control character, which the API
// would refuse, reaches the store behind its back. undici would throw on it, and the call used to
// fail as "Could not reach the provider".

let folder: string;
let target: NodeTarget;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gateway-unsendable-'));
});
afterAll(async () => {
  await target?.close();
  await rm(folder, { recursive: true, force: true });
});

it('answers PROVIDER_MISCONFIGURED for a header value planted in the data file, before any connection', async () => {
  target = await startTarget({}, folder);
  const provider = await createTestProvider(target, 'openai', { customHeaders: { 'X-Title': 'fine' } });
  const chat = await chatWith(target, provider);
  expect(chat.status).toBe(200);
  await chat.body?.cancel();
  expect(await upstreamRequestsFor(target, provider)).toHaveLength(1);
  await target.close();

  const file = join(folder, 'providers.json');
  const stored = JSON.parse(await readFile(file, 'utf8'));
  // Planted as a record written before header values were encrypted holds them: in plain text.
  delete stored.providers[0].encryptedCustomHeaders;
  stored.providers[0].customHeaders = { 'x-test-run': provider.run, 'X-Title': 'sk-CANARY-in-a-header\u000bsecond line' };
  await writeFile(file, JSON.stringify(stored));

  target = await startTarget({}, folder);
  await expectRefusedBeforeSending(target, provider, 'X-Title', 1);
  expect(target.logs().join('\n')).not.toContain('CANARY');
});

it('serves a provider whose name, planted in the data file, the API would refuse', async () => {
  await target.close();
  target = await startTarget({}, folder);
  const provider = await createTestProvider(target, 'openai');
  await target.close();

  const file = join(folder, 'providers.json');
  const stored = JSON.parse(await readFile(file, 'utf8'));
  stored.providers.find((record: { id: string }) => record.id === provider.id).name = PLANTED_NAME;
  await writeFile(file, JSON.stringify(stored));

  target = await startTarget({}, folder);
  await expectServedUnderPlantedName(target, provider);
});
