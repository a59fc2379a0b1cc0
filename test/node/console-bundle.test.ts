import { build } from 'esbuild';
import { expect, it } from 'vitest';

// What the console's script is made of, as `npm run build` bundles it: its own modules,
// llm-gateway-client (the proof that the client is enough for a web UI), preact and the client's
// eventsource-parser. Nothing of the server (src/api is imported as types only), no Node built-in,
// nothing left to load from anywhere at run time.

it('is built from src/console, packages/client/src, preact and eventsource-parser alone, importing nothing', async () => {
  const result = await build({
    entryPoints: ['src/console/main.tsx'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    tsconfig: 'src/console/tsconfig.json',
    outdir: 'unused',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const packages = [...new Set(inputs.filter((path) => path.startsWith('node_modules/')).map((path) => path.split('/')[1]))].sort();
  expect(packages).toEqual(['eventsource-parser', 'preact']);
  expect(inputs.filter((path) => !path.startsWith('node_modules/') && !/^(src\/console|packages\/client\/src)\/[a-z/-]+\.(ts|tsx|css)$/.test(path))).toEqual([]);
  expect(inputs).toEqual(expect.arrayContaining(['src/console/main.tsx', 'packages/client/src/create-gateway-client.ts', 'packages/client/src/read-chat-stream.ts']));
  const script = Object.values(result.metafile.outputs).find((output) => output.entryPoint === 'src/console/main.tsx');
  expect(script?.imports).toEqual([]);
});
