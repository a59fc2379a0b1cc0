import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELLO_TEXT } from '../support/fake-upstream/scenarios.ts';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { createTestProvider } from '../support/providers.ts';
import { ADMIN_TOKEN } from '../support/target.ts';

// llm-gateway/client as a consumer gets it: `npm pack` from a fresh copy of the project, the
// tarball unpacked into another project, its declarations type-checked there and its code run
// against the real gateway.
//
// The tarball is unpacked and its two dependencies linked, not `npm install`ed: an offline
// `npm install --offline <tarball>` fails here with ENOTCACHED, because npm must resolve the
// package's dependency ranges from registry metadata that `npm ci` never cached. Linking only
// zod (types) and eventsource-parser (code) also proves the client needs nothing else.

const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// No update check, no registry: packing a folder needs no network.
const npmEnvironment = { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };

let workspace: string;
let consumer: string;
let packedFiles: string[];

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'gateway-client-package-'));
  const project = join(workspace, 'project');
  // A fresh copy, as a clone has it (no dist), sharing node_modules.
  for (const entry of ['src', 'scripts', 'package.json', 'tsconfig.json', 'README.md']) await cp(join(root, entry), join(project, entry), { recursive: true });
  await symlink(join(root, 'node_modules'), join(project, 'node_modules'));
  const { stdout } = await run('npm', ['pack', '--offline', '--json', '--pack-destination', workspace], { cwd: project, env: npmEnvironment });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packedFiles = packed!.files.map((file) => file.path).sort();

  consumer = join(workspace, 'consumer');
  const installed = join(consumer, 'node_modules', 'llm-gateway');
  await mkdir(installed, { recursive: true });
  await run('tar', ['-xzf', join(workspace, packed!.filename), '-C', installed, '--strip-components=1']);
  await mkdir(join(consumer, 'node_modules', '@types'));
  for (const dependency of ['zod', 'eventsource-parser', 'undici-types', '@types/node']) {
    await symlink(join(root, 'node_modules', dependency), join(consumer, 'node_modules', dependency));
  }
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
}, 120_000);
afterAll(() => rm(workspace, { recursive: true, force: true }));

describe('npm pack', () => {
  it('packs the built client, its declarations and nothing of the server', () => {
    const declarations = packedFiles.filter((path) => path.startsWith('dist/types/'));
    expect(packedFiles.filter((path) => !path.startsWith('dist/types/'))).toEqual(['README.md', 'dist/client.js', 'dist/client.js.map', 'package.json']);
    expect(declarations.every((path) => path.endsWith('.d.ts'))).toBe(true);
    expect(declarations).toEqual(expect.arrayContaining(['dist/types/client/index.d.ts', 'dist/types/api/chat.d.ts', 'dist/types/providers/provider-schemas.d.ts']));
  });

  it('ships code that imports nothing but eventsource-parser', async () => {
    const result = await build({
      entryPoints: [join(consumer, 'node_modules', 'llm-gateway', 'dist', 'client.js')],
      bundle: true,
      packages: 'external',
      platform: 'neutral',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((entry) => entry.path));
    expect(imports).toEqual(['eventsource-parser/stream']);
  });
});

describe('a consumer project', () => {
  const consumerSource = `
import { createGatewayClient, GatewayError, type ChatCompletionChunk, type GatewayErrorCode, type Provider } from 'llm-gateway/client';

const gateway = createGatewayClient({ baseUrl: 'http://127.0.0.1:3000/api/v1', token: () => 'token' });

export async function run(signal: AbortSignal): Promise<string> {
  let text = '';
  try {
    for await (const chunk of gateway.streamChat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }, { signal })) {
      const typed: ChatCompletionChunk = chunk;
      text += typed.choices[0]?.delta.content ?? '';
    }
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    const code: GatewayErrorCode = error.code;
    return \`\${error.status} \${code} \${error.retryAfterSeconds ?? ''} \${String(error.details?.field)}\`;
  }
  const providers: Provider[] = await gateway.providers.list();
  const created = await gateway.providers.create({ name: 'x', baseUrl: 'https://example.com', apiKey: 'k', routingMethod: 'anthropic' });
  // @ts-expect-error: routingMethod is "openai" or "anthropic"
  await gateway.providers.create({ name: 'x', baseUrl: 'https://example.com', apiKey: 'k', routingMethod: 'gemini' });
  // @ts-expect-error: chat() answers with one chat.completion, never a stream
  await gateway.chat({ model: 'openai/gpt-4o-mini', messages: [], stream: true });
  const usage = await gateway.usage({ groupBy: ['provider', 'day'] });
  return \`\${text} \${providers.length} \${created.apiKeyHint} \${usage.data[0]?.promptTokens ?? 0}\`;
}
`;

  it.each([
    ['a web UI (bundler resolution, DOM)', { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [] }],
    ['Node (nodenext resolution, Node types, no DOM)', { module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: ['node'] }],
  ])('type-checks against the declarations: %s', async (_, options) => {
    const folder = join(consumer, options.moduleResolution);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'consumer.ts'), consumerSource);
    const compilerOptions = { ...options, strict: true, noEmit: true, target: 'es2022', skipLibCheck: false };
    await writeFile(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    const result = await run(process.execPath, [tsc, '-p', folder], { cwd: folder }).then(
      () => ({ code: 0, output: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
    );
    expect(result).toEqual({ code: 0, output: '' });
  }, 60_000);

  describe('at run time', () => {
    let target: NodeTarget;
    beforeAll(async () => {
      target = await startTarget();
    });
    afterAll(() => target.close());

    it('imports llm-gateway/client and streams a chat from the gateway', async () => {
      const provider = await createTestProvider(target, 'openai');
      const script = `
import { createGatewayClient, GatewayError } from 'llm-gateway/client';
const [baseUrl, token, model] = process.argv.slice(2);
const gateway = createGatewayClient({ baseUrl, token });
const health = await gateway.health();
let text = '';
for await (const chunk of gateway.streamChat({ model, messages: [{ role: 'user', content: 'Hi' }] })) text += chunk.choices[0]?.delta.content ?? '';
const missing = await gateway.providers.get('missing').catch((error) => error);
console.log(JSON.stringify({ health: health.status, text, missing: [missing instanceof GatewayError, missing.code] }));
`;
      await writeFile(join(consumer, 'run.mjs'), script);
      const { stdout } = await run(process.execPath, ['run.mjs', target.apiBase, ADMIN_TOKEN, `${provider.name}/gpt-test`], { cwd: consumer });
      expect(JSON.parse(stdout)).toEqual({ health: 'ok', text: HELLO_TEXT, missing: [true, 'NOT_FOUND'] });
    });
  });
});
