import type { StoredAccessKey } from '../storage/access-key-store.ts';

// What an access key may reach: providers by id (resolved from the ids or names it was given)
// and models by pattern, `<provider name>/<model>` where `*` matches any run of characters.
// Patterns compare case-insensitively, as provider names do.

const compiled = new WeakMap<StoredAccessKey, RegExp[]>();

function patternsOf(key: StoredAccessKey): RegExp[] {
  let patterns = compiled.get(key);
  if (!patterns) {
    patterns = (key.models ?? []).map((pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'is'));
    compiled.set(key, patterns);
  }
  return patterns;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function mayUseProvider(key: StoredAccessKey, providerId: string): boolean {
  return key.providers === null || key.providers.includes(providerId);
}

/** `model` is the upstream model; the pattern sees it as `<provider name>/<model>`. */
export function mayUseModel(key: StoredAccessKey, providerName: string, model: string): boolean {
  if (key.models === null) return true;
  const name = `${providerName}/${model}`;
  return patternsOf(key).some((pattern) => pattern.test(name));
}

export function mayUse(key: StoredAccessKey, provider: { id: string; name: string }, model: string): boolean {
  return mayUseProvider(key, provider.id) && mayUseModel(key, provider.name, model);
}

/** A route's name (contract v1.2): the key's model patterns apply to it as they are. */
export function mayUseRoute(key: StoredAccessKey, routeName: string): boolean {
  return key.models === null || patternsOf(key).some((pattern) => pattern.test(routeName));
}
