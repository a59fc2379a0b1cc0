import { build } from 'esbuild';
const r = await build({ entryPoints: [process.argv[2] + '/src/adapter/cloudflare-workers/worker.ts'], bundle: true, minify: true, format: 'esm', platform: 'browser', conditions: ['workerd','worker','browser'], external: ['cloudflare:*'], write: false, metafile: true, absWorkingDir: process.argv[2], logLevel: 'error' });
const out = Object.values(r.metafile.outputs)[0];
const rows = Object.entries(out.inputs).map(([k, v]) => [k, v.bytesInOutput]).sort((a, b) => b[1] - a[1]);
console.log('total', out.bytes);
for (const [k, v] of rows) if (process.argv[3] ? k.includes(process.argv[3]) : v > 3000) console.log(v, k);
