import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// What llm-gateway-client puts into a web UI's bundle: its own modules and eventsource-parser,
// nothing of the server (src/api and zod are imported as types only) and no Node built-in.

async function metafileOf(options: { external: boolean }) {
  const result = await build({
    entryPoints: ['packages/client/src/index.ts'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    ...(options.external ? { packages: 'external' as const } : {}),
  });
  const [output] = Object.values(result.metafile.outputs);
  return { inputs: Object.keys(result.metafile.inputs), imports: output!.imports.map((entry) => entry.path) };
}

describe('the client bundle', () => {
  it('is built from packages/client/src alone and imports eventsource-parser, nothing else', async () => {
    const { inputs, imports } = await metafileOf({ external: true });
    expect(inputs.filter((path) => !/^packages\/client\/src\/[a-z-]+\.ts$/.test(path))).toEqual([]);
    expect(inputs).toContain('packages/client/src/read-chat-stream.ts');
    expect(imports).toEqual(['eventsource-parser/stream']);
  });

  it('with eventsource-parser inside, imports nothing at all (no node: module, no shim)', async () => {
    const { inputs, imports } = await metafileOf({ external: false });
    expect(imports).toEqual([]);
    expect(inputs.filter((path) => !path.startsWith('packages/client/src/'))).toEqual([
      // eventsource-parser 4's stream entry reaches the parser's modules directly, not through its index.
      'node_modules/eventsource-parser/dist/errors.js',
      'node_modules/eventsource-parser/dist/parse.js',
      'node_modules/eventsource-parser/dist/stream.js',
    ]);
  });
});
