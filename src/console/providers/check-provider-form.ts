import type { ProviderChanges, ProviderInput } from 'llm-gateway-client';
import type { FormErrors } from '../ui/use-form-problems.ts';
import { parseCustomHeaders } from './custom-headers-text.ts';
import { parsePricing } from './pricing-text.ts';

// The provider form checked whole before it is sent, in plain words, so every mistake shows at
// once. These are the gateway's own save rules (src/providers/provider-schemas.ts) said for a
// person; the gateway still checks everything, and what only it can know (a name taken, an
// address its outbound policy refuses) comes back beside the field it names.

export const providerFields = ['name', 'baseUrl', 'routingMethod', 'apiKey', 'customHeaders', 'pricing'] as const;
export type ProviderField = (typeof providerFields)[number];

export interface ProviderFormText {
  name: string;
  baseUrl: string;
  routingMethod: ProviderInput['routingMethod'];
  apiKey: string;
  customHeaders: string;
  pricing: string;
}

export interface ProviderFormRules {
  /** Editing: an empty API key keeps the stored one; an empty pricing field removes the stored prices. */
  editing: boolean;
  /** The chosen service needs a key (a local server such as Ollama does not). */
  keyRequired: boolean;
}

export type CheckedProviderForm = { ok: true; input: ProviderInput & ProviderChanges } | { ok: false; errors: FormErrors<ProviderField> };

export function checkProviderForm(form: ProviderFormText, rules: ProviderFormRules): CheckedProviderForm {
  const errors: FormErrors<ProviderField> = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'Give the provider a name: it is the first part of its model names, as in openai/gpt-4o.';
  else if (name.includes('/')) errors.name = 'A name cannot contain "/": in a model name the "/" separates the provider from the model.';
  else if (name.length > 64) errors.name = `Use at most 64 characters (this name has ${name.length}).`;

  const baseUrl = form.baseUrl.trim();
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  if (baseUrl === '') errors.baseUrl = 'Enter the address the provider\'s API answers at, such as https://api.openai.com/v1.';
  else if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) errors.baseUrl = 'Enter a whole address starting with https:// (or http:// for a server on your own network).';
  else if (url.username !== '' || url.password !== '') errors.baseUrl = 'Leave the user name and password out of the address; the key goes in "API key".';

  if (form.routingMethod !== 'openai' && form.routingMethod !== 'anthropic') errors.routingMethod = 'Choose the protocol the provider speaks: openai or anthropic.';

  const apiKey = form.apiKey;
  if (apiKey === '' && rules.keyRequired && !rules.editing) errors.apiKey = 'Paste the provider\'s API key. It is stored encrypted and never shown again.';
  else if (apiKey !== '' && (apiKey.trim() !== apiKey || /[\r\n\0]/.test(apiKey))) errors.apiKey = 'Remove the spaces or line breaks around the key.';

  const headers = parseCustomHeaders(form.customHeaders);
  if (!headers.ok) errors.customHeaders = headers.message;

  const pricing = parsePricing(form.pricing);
  if (!pricing.ok) errors.pricing = pricing.message;

  if (Object.keys(errors).length > 0 || !headers.ok || !pricing.ok) return { ok: false, errors };
  const noPricing = Object.keys(pricing.pricing).length === 0;
  return {
    ok: true,
    input: {
      name,
      baseUrl,
      routingMethod: form.routingMethod,
      customHeaders: headers.headers,
      ...(apiKey === '' ? {} : { apiKey }),
      // null (PUT's way to remove) only on edit; a new provider without prices sends none.
      ...(noPricing ? (rules.editing ? { pricing: null } : {}) : { pricing: pricing.pricing }),
    } as ProviderInput & ProviderChanges,
  };
}
