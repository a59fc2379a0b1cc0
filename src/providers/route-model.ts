import { NotFoundError, ValidationError } from '../errors/api-error.ts';
import type { StoredProvider } from '../storage/provider-store.ts';
import type { ProviderService } from './provider-service.ts';

/**
 * `<provider id or name>/<model>`: the part before the first `/` names the provider, the rest
 * (which may hold more `/`) is the upstream model. Nothing is sent anywhere when it fails.
 */
export async function routeModel(providers: ProviderService, model: string, field = 'model'): Promise<{ provider: StoredProvider; upstreamModel: string }> {
  const slash = model.indexOf('/');
  if (slash <= 0 || slash === model.length - 1) {
    // `model` may also name a route (no `/`): this is reached when no route has that name.
    throw new ValidationError(`Give ${field} in the form <provider id or name>/<model>${field === 'model' ? ', or a route\'s name' : ''}`, { field });
  }
  const provider = await providers.resolve(model.slice(0, slash));
  if (!provider) throw new NotFoundError(`No provider named ${JSON.stringify(model.slice(0, slash))}`, { field });
  return { provider, upstreamModel: model.slice(slash + 1) };
}
