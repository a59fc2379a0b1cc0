import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import clientPackage from '../../packages/client/package.json' with { type: 'json' };
import { HELLO_TEXT } from '../support/fake-upstream/scenarios.ts';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { createTestProvider } from '../support/providers.ts';
import { ADMIN_TOKEN } from '../support/target.ts';

// llm-gateway-client as a consumer gets it: `npm pack` of packages/client from a fresh copy of the
// repository (no dist), then `npm install` of that tarball into an empty project, its
// declarations type-checked there under `tsc --strict` and its code run against the real gateway.
//
// The install is a real `npm install`, against a registry on a loopback port that serves only the
// client's declared dependencies, packed from this repository's node_modules: a dependency the
// package does not declare, or a server dependency it drags in, fails the install (the registry
// answers 404) or shows in the installed tree below. Nothing leaves the machine.

const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const npmEnvironment = { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
const dependencies = Object.keys(clientPackage.dependencies);

let workspace: string;
let consumer: string;
let packedFiles: string[];
let installed: string[];
let registry: Server;

interface Packed {
  name: string;
  version: string;
  filename: string;
  integrity: string;
  shasum: string;
  files: Array<{ path: string }>;
}

async function pack(folder: string, destination: string, ignoreScripts: boolean): Promise<Packed> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination, ...(ignoreScripts ? ['--ignore-scripts'] : []), folder], { cwd: destination, env: npmEnvironment });
  return (JSON.parse(stdout) as Packed[])[0]!;
}

/** The npm registry protocol's two reads (a package document, a tarball) for the given tarballs. */
async function startRegistry(folder: string, packages: Packed[]): Promise<string> {
  registry = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://registry');
    const tarball = packages.find((each) => url.pathname === `/tarballs/${each.filename}`);
    if (tarball) {
      void readFile(join(folder, tarball.filename)).then((bytes) => response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes));
      return;
    }
    const name = decodeURIComponent(url.pathname.slice(1));
    const versions = packages.filter((each) => each.name === name);
    if (versions.length === 0) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    const origin = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
    const document = {
      name,
      'dist-tags': { latest: versions.at(-1)!.version },
      versions: Object.fromEntries(
        versions.map((each) => [each.version, { name, version: each.version, dist: { tarball: `${origin}/tarballs/${each.filename}`, integrity: each.integrity, shasum: each.shasum } }]),
      ),
    };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
}

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'gateway-client-package-'));
  const project = join(workspace, 'project');
  // A fresh copy, as a clone has it (no dist), sharing node_modules: the package's prepack builds it.
  for (const entry of ['packages/client/src', 'packages/client/package.json', 'packages/client/tsconfig.json', 'packages/client/build.mjs', 'packages/client/README.md', 'src', 'tsconfig.json']) {
    await cp(join(root, entry), join(project, entry), { recursive: true });
  }
  await symlink(join(root, 'node_modules'), join(project, 'node_modules'));
  const tarballs = join(workspace, 'tarballs');
  await mkdir(tarballs);
  const client = await pack(join(project, 'packages', 'client'), tarballs, false);
  packedFiles = client.files.map((file) => file.path).sort();
  // The dependencies as they are installed here, packed as published (their own scripts not run).
  const packedDependencies = await Promise.all(dependencies.map((name) => pack(join(root, 'node_modules', name), tarballs, true)));
  const registryUrl = await startRegistry(tarballs, packedDependencies);

  consumer = join(workspace, 'consumer');
  await mkdir(consumer);
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--registry', registryUrl, '--cache', join(workspace, 'npm-cache'), join(tarballs, client.filename)], { cwd: consumer, env: npmEnvironment });
  installed = (await readdir(join(consumer, 'node_modules'))).filter((name) => !name.startsWith('.')).sort();
  // The type-checks below also need TypeScript's view of Node (for the nodenext consumer).
  await mkdir(join(consumer, 'node_modules', '@types'));
  for (const dependency of ['undici-types', '@types/node']) await symlink(join(root, 'node_modules', dependency), join(consumer, 'node_modules', dependency));
}, 180_000);
afterAll(async () => {
  await new Promise((resolve) => registry?.close(resolve));
  await rm(workspace, { recursive: true, force: true });
});

describe('npm pack and npm install', () => {
  it('packs the built client, its declarations and its README', () => {
    const declarations = packedFiles.filter((path) => path.startsWith('dist/types/'));
    expect(packedFiles.filter((path) => !path.startsWith('dist/types/'))).toEqual(['README.md', 'dist/index.js', 'dist/index.js.map', 'dist/presets.js', 'dist/presets.js.map', 'package.json']);
    expect(declarations.every((path) => path.endsWith('.d.ts'))).toBe(true);
    expect(declarations).toEqual(
      expect.arrayContaining(['dist/types/packages/client/src/index.d.ts', 'dist/types/packages/client/src/provider-presets.d.ts', 'dist/types/src/api/chat.d.ts', 'dist/types/src/api/session.d.ts']),
    );
  });

  it('installs the client and its two dependencies, nothing of the server', () => {
    expect(dependencies.sort()).toEqual(['eventsource-parser', 'zod']);
    expect(installed).toEqual(['eventsource-parser', 'llm-gateway-client', 'zod']);
  });

  it('ships code that imports nothing but eventsource-parser', async () => {
    const result = await build({
      entryPoints: ['index.js', 'presets.js'].map((file) => join(consumer, 'node_modules', 'llm-gateway-client', 'dist', file)),
      outdir: 'unused',
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
import { createGatewayClient, GatewayError, type ChatCompletionChunk, type GatewayErrorCode, type Provider, type Session } from 'llm-gateway-client';
import { providerFromPreset, providerPresets, type ProviderPreset } from 'llm-gateway-client/presets';

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
  const preset: ProviderPreset | undefined = providerPresets.find((each) => each.apiKey === 'none');
  await gateway.providers.create(providerFromPreset(preset?.id ?? 'ollama'));
  const session: Session = await gateway.session();
  const role: 'admin' | 'client' | 'access-key' = session.role;
  const usage = await gateway.usage({ groupBy: ['provider', 'day'] });
  return \`\${text} \${providers.length} \${created.apiKeyHint} \${usage.data[0]?.promptTokens ?? 0} \${role}\`;
}
`;

  it.each([
    ['a web UI (bundler resolution, DOM)', { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [] }],
    ['Node (nodenext resolution, Node types, no DOM)', { module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: ['node'] }],
  ])('type-checks against the declarations under --strict: %s', async (_, options) => {
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

    it('imports llm-gateway-client and streams a chat from the gateway', async () => {
      const provider = await createTestProvider(target, 'openai');
      const script = `
import { createGatewayClient, GatewayError } from 'llm-gateway-client';
import { providerFromPreset } from 'llm-gateway-client/presets';
const [baseUrl, token, model] = process.argv.slice(2);
const gateway = createGatewayClient({ baseUrl, token });
const health = await gateway.health();
let text = '';
for await (const chunk of gateway.streamChat({ model, messages: [{ role: 'user', content: 'Hi' }] })) text += chunk.choices[0]?.delta.content ?? '';
const missing = await gateway.providers.get('missing').catch((error) => error);
const session = await gateway.session();
const preset = providerFromPreset('groq', { apiKey: 'k' });
console.log(JSON.stringify({ health: health.status, text, missing: [missing instanceof GatewayError, missing.code], role: session.role, preset: preset.baseUrl }));
`;
      await writeFile(join(consumer, 'run.mjs'), script);
      const { stdout } = await run(process.execPath, ['run.mjs', target.apiBase, ADMIN_TOKEN, `${provider.name}/gpt-test`], { cwd: consumer });
      expect(JSON.parse(stdout)).toEqual({ health: 'ok', text: HELLO_TEXT, missing: [true, 'NOT_FOUND'], role: 'admin', preset: 'https://api.groq.com/openai/v1' });
    });
  });
});
