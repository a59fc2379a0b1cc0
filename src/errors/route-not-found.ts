import { NotFoundError } from './api-error.ts';

// An unknown route. One under /v1 is nearly always a client whose base URL left out /api (an SDK
// pointed at http://host:3000/v1): it is told the path it meant.

export function routeNotFound(method: string, path: string, apiBasePath: string): NotFoundError {
  if (path === '/v1' || path.startsWith('/v1/')) {
    const meant = `${apiBasePath}${path.slice('/v1'.length)}`;
    return new NotFoundError(
      `Route ${method} ${path} not found: the API is under ${apiBasePath}, so this is ${method} ${meant}. An OpenAI SDK's base URL ends in ${apiBasePath}, the Anthropic SDK's in ${apiBasePath.slice(0, -'/v1'.length)}.`,
      { path: meant },
    );
  }
  return new NotFoundError(`Route ${method} ${path} not found`);
}
