import { API_BASE_PATH } from '../../app.ts';
import type { StaticAssets } from './worker-bindings.ts';

// The Worker's GET /openapi.json: the document `npm run build` wrote among the static assets
// (scripts/describe-worker-api.ts), built by Node's code from an app with the Worker's routes, so
// neither the builder nor zod-openapi is in the Worker's bundle. The file sits under /api/, which
// run_worker_first hands to the Worker: only this binding ever reads it, never a browser.

export const API_DESCRIPTION_FILE = `${API_BASE_PATH}/openapi.json`;

/** The build did not run before the deploy: the assets have no document. */
export class ApiDescriptionMissingError extends Error {
  constructor(status: number) {
    super(`The static assets answered ${status} for ${API_DESCRIPTION_FILE}: run \`npm run build\` before \`wrangler deploy\``);
    // Set by hand: the Worker is minified without keep_names, so a class's own name is not kept.
    this.name = 'ApiDescriptionMissingError';
  }
}

export async function readApiDescription(assets: StaticAssets): Promise<string> {
  const response = await assets.fetch(`https://assets.invalid${API_DESCRIPTION_FILE}`);
  if (!response.ok) {
    await response.body?.cancel();
    throw new ApiDescriptionMissingError(response.status);
  }
  return response.text();
}
