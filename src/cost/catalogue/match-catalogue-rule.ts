import type { CatalogueRule } from './price-catalogue.ts';

// A catalogue match rule against a lower-cased model id or provider name: the text operations
// compare case-insensitively, as the catalogue's own matcher does; a regex is the catalogue's, not
// a client's, and is compiled once. The name is at most 256 characters (chat's model limit).

const compiled = new Map<string, RegExp>();

function regexFor(source: string): RegExp {
  let regex = compiled.get(source);
  if (regex === undefined) {
    regex = new RegExp(source);
    compiled.set(source, regex);
  }
  return regex;
}

export function matchCatalogueRule(rule: CatalogueRule, name: string): boolean {
  if ('or' in rule) return rule.or.some((inner) => matchCatalogueRule(inner, name));
  if ('and' in rule) return rule.and.every((inner) => matchCatalogueRule(inner, name));
  if ('equals' in rule) return name === rule.equals.toLowerCase();
  if ('starts_with' in rule) return name.startsWith(rule.starts_with.toLowerCase());
  if ('ends_with' in rule) return name.endsWith(rule.ends_with.toLowerCase());
  if ('contains' in rule) return name.includes(rule.contains.toLowerCase());
  if ('regex' in rule) return regexFor(rule.regex).test(name);
  return false;
}

/** A provider's API URL pattern, anchored at the start of the base URL. */
export function matchApiPattern(pattern: string, baseUrl: string): boolean {
  return regexFor(`^(?:${pattern})`).test(baseUrl);
}
