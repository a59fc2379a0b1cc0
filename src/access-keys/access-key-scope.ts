import type { StoredAccessKey } from '../storage/access-key-store.ts';
import { compileModelPattern, type ModelMatcher } from './compile-model-pattern.ts';

// What an access key may reach: providers by id (resolved from the ids or names it was given)
// and models by pattern, `<provider name>/<model>` where `*` matches any run of characters.
// Patterns compare case-insensitively, as provider names do, in linear time (compile-model-pattern.ts).

const compiled = new WeakMap<StoredAccessKey, ModelMatcher[]>();

function patternsOf(key: StoredAccessKey): ModelMatcher[] {
  let patterns = compiled.get(key);
  if (!patterns) {
    patterns = (key.models ?? []).map(compileModelPattern);
    compiled.set(key, patterns);
  }
  return patterns;
}

export function mayUseProvider(key: StoredAccessKey, providerId: string): boolean {
  return key.providers === null || key.providers.includes(providerId);
}

/** `model` is the upstream model; the pattern sees it as `<provider name>/<model>`. */
export function mayUseModel(key: StoredAccessKey, providerName: string, model: string): boolean {
  if (key.models === null) return true;
  const name = `${providerName}/${model}`;
  return patternsOf(key).some((matches) => matches(name));
}

export function mayUse(key: StoredAccessKey, provider: { id: string; name: string }, model: string): boolean {
  return mayUseProvider(key, provider.id) && mayUseModel(key, provider.name, model);
}

/** A route's name (contract v1.2): the key's model patterns apply to it as they are. */
export function mayUseRoute(key: StoredAccessKey, routeName: string): boolean {
  return key.models === null || patternsOf(key).some((matches) => matches(routeName));
}
