import type { ProviderInput } from 'llm-gateway-client';

// The pasted text of an import: a JSON array of provider entries, each what POST /providers
// takes. Only "is it an array of objects" is checked here; the gateway validates every field
// and names the entry and field it refuses.

export type ParsedImport = { ok: true; entries: ProviderInput[] } | { ok: false; message: string };

export function parseImportEntries(text: string): ParsedImport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!Array.isArray(value)) return { ok: false, message: 'Paste a JSON array of providers: [{"name": …, "baseUrl": …, "apiKey": …, "routingMethod": …}]' };
  if (value.length === 0) return { ok: false, message: 'The array is empty: nothing to import' };
  const notObject = value.findIndex((entry) => typeof entry !== 'object' || entry === null || Array.isArray(entry));
  if (notObject !== -1) return { ok: false, message: `Entry ${notObject + 1} is not an object` };
  return { ok: true, entries: value as ProviderInput[] };
}
