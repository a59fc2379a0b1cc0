// The API reference page's static files, into dist/public/docs/: Swagger UI's bundle, stylesheet,
// favicon, licence and notice from swagger-ui-dist (only these: its other files are presets, source maps
// and a sample page), and the script that starts it (src/docs-page/). Node serves dist/public with
// serve-static, Workers as static assets (wrangler.toml [assets]), so none of it is in the Worker.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png', 'LICENSE', 'NOTICE'];

export function copyDocsAssets(publicDir) {
  const target = join(publicDir, 'docs');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const swaggerUi = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  for (const file of SWAGGER_UI_FILES) cpSync(join(swaggerUi, file), join(target, file));
  cpSync('src/docs-page/start-swagger-ui.js', join(target, 'start-swagger-ui.js'));
}
