// Child process for the crash test: writes provider records through the JSON-file store as
// fast as it can until it is killed with SIGKILL.
import { openJsonFileProviderStore } from '../../src/adapter/node/json-file-provider-store.ts';

const store = await openJsonFileProviderStore(process.argv[2]!);
process.stdout.write('ready\n');
for (let index = 0; ; index++) {
  const id = `crash-${Date.now()}-${index}`;
  await store.create({
    id,
    name: id,
    baseUrl: 'https://api.example.com/v1',
    routingMethod: 'openai',
    customHeaders: { 'x-padding': 'p'.repeat(2000) },
    encryptedApiKey: { v: 1, iv: 'aXZpdml2aXZpdml2', data: 'ZGF0YQ==', tag: 'dGFndGFndGFndGFndGFnIQ==' },
    apiKeyHint: '…',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  });
}
