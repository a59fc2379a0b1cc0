import { checkProviderForm, providerFields, type ProviderField } from './check-provider-form.ts';
import { formatCustomHeaders } from './custom-headers-text.ts';

// Every pasted entry checked as "Add provider" checks its form, before anything is sent, so all
// the mistakes of a batch show at once, each with its entry counted from 1 (as the gateway's
// details.index + 1) and its field by the form's label. An entry's pricing is already JSON, not
// the form's text: the gateway checks it.

const LABELS: Record<ProviderField, string> = { name: 'name', baseUrl: 'baseUrl', routingMethod: 'routingMethod', apiKey: 'apiKey', customHeaders: 'customHeaders', pricing: 'pricing' };

const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value));

/** One line per entry that has a problem: "Entry 2 (ollama): baseUrl: …; apiKey: …". */
export function checkImportEntries(entries: ReadonlyArray<Record<string, unknown>>): string[] {
  return entries.flatMap((entry, index) => {
    const headers = entry.customHeaders;
    const headersAreText = headers === undefined || (typeof headers === 'object' && headers !== null && !Array.isArray(headers) && Object.values(headers).every((value) => typeof value === 'string'));
    const headersText = headersAreText && headers !== undefined ? formatCustomHeaders(headers as Record<string, string>) : '';
    const checked = checkProviderForm(
      { name: text(entry.name), baseUrl: text(entry.baseUrl), routingMethod: text(entry.routingMethod) as 'openai', apiKey: text(entry.apiKey), customHeaders: headersText, pricing: '' },
      { editing: false, keyRequired: false },
    );
    const errors = checked.ok ? {} : checked.errors;
    if (!headersAreText) errors.customHeaders = 'Write the headers as an object of names and text values, such as {"X-Title": "My app"}.';
    const problems = providerFields.flatMap((field) => (errors[field] ? [`${LABELS[field]}: ${errors[field]}`] : []));
    if (problems.length === 0) return [];
    return [`${describeEntry(index, entry)}: ${problems.join(' ')}`];
  });
}

/** "Entry 2 (ollama)": counted from 1, with its name when it has one. */
export function describeEntry(index: number, entry: Record<string, unknown> | undefined): string {
  const name = typeof entry?.name === 'string' && entry.name.trim() !== '' ? ` (${entry.name.trim()})` : '';
  return `Entry ${index + 1}${name}`;
}
