import type { CreateRouteInput, RouteStrategy, UpdateRouteInput } from '../api/model-routes.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors/api-error.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import { DuplicateRecordError } from '../storage/duplicate-record-error.ts';
import { DuplicateRouteNameError, type ModelRouteStore, type RouteChanges, type StoredRoute } from '../storage/model-route-store.ts';

// Route management: what zod cannot check alone. Every target must name a provider that exists
// now (a typo is a 400 at save time, not a surprise at the first request), no target twice, and
// route names unique in any case. Targets are stored as given (`<provider id or name>/<model>`)
// and resolved again at every request, like a chat's `model`.

export interface ModelRouteServiceOptions {
  store: ModelRouteStore;
  providers: ProviderService;
  now: () => number;
  newId: () => string;
}

export type ModelRouteService = ReturnType<typeof createModelRouteService>;

const DEFAULT_STRATEGY: RouteStrategy = 'weighted';

export function createModelRouteService(options: ModelRouteServiceOptions) {
  const { store, providers, now, newId } = options;

  async function checkTargets(targets: NonNullable<CreateRouteInput['targets']>): Promise<StoredRoute['targets']> {
    const seen = new Map<string, number>();
    const checked: StoredRoute['targets'] = [];
    for (const [index, target] of targets.entries()) {
      const field = `targets[${index}].model`;
      const slash = target.model.indexOf('/');
      const provider = await providers.resolve(target.model.slice(0, slash));
      if (!provider) throw new ValidationError(`No provider named ${JSON.stringify(target.model.slice(0, slash))}`, { field, issue: 'unknown provider' });
      const identity = `${provider.id}/${target.model.slice(slash + 1)}`;
      const earlier = seen.get(identity);
      if (earlier !== undefined) throw new ValidationError(`targets[${earlier}] and targets[${index}] are the same model`, { field, issue: 'duplicate target' });
      seen.set(identity, index);
      checked.push({ model: target.model, weight: target.weight ?? 1 });
    }
    return checked;
  }

  const nameTaken = (name: string) => new ConflictError(`A route named "${name}" already exists`, { field: 'name', issue: 'must be unique' });

  async function writing<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } catch (error) {
      if (error instanceof DuplicateRouteNameError) throw nameTaken(error.routeName);
      if (error instanceof DuplicateRecordError) throw new ConflictError(error.message);
      throw error;
    }
  }

  async function assertNameFree(name: string, exceptId?: string): Promise<void> {
    const holder = await store.findByName(name);
    if (holder !== null && holder.id !== exceptId) throw nameTaken(name);
  }

  return {
    list: () => store.list(),

    async get(id: string): Promise<StoredRoute> {
      const route = await store.get(id);
      if (!route) throw new NotFoundError(`Route ${JSON.stringify(id)} not found`);
      return route;
    },

    /** The route a request's `model` names, if any: only a name without `/` can be one. */
    findByName: (name: string): Promise<StoredRoute | null> => (name.includes('/') ? Promise.resolve(null) : store.findByName(name)),

    async create(input: CreateRouteInput): Promise<StoredRoute> {
      const targets = await checkTargets(input.targets);
      await assertNameFree(input.name);
      const timestamp = new Date(now()).toISOString();
      return writing(store.create({ id: newId(), name: input.name, targets, strategy: input.strategy ?? DEFAULT_STRATEGY, createdAt: timestamp, updatedAt: timestamp }));
    },

    async update(id: string, input: UpdateRouteInput): Promise<StoredRoute> {
      const changes: RouteChanges = { updatedAt: new Date(now()).toISOString() };
      if (input.targets !== undefined) changes.targets = await checkTargets(input.targets);
      if (input.name !== undefined) {
        await assertNameFree(input.name, id);
        changes.name = input.name;
      }
      if (input.strategy !== undefined) changes.strategy = input.strategy;
      const updated = await writing(store.update(id, changes));
      if (!updated) throw new NotFoundError(`Route ${JSON.stringify(id)} not found`);
      return updated;
    },

    async delete(id: string): Promise<void> {
      if (!(await store.delete(id))) throw new NotFoundError(`Route ${JSON.stringify(id)} not found`);
    },
  };
}
