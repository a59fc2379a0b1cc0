import type { CreateAccessKeyInput } from 'llm-gateway-client';

// The create-key form's text, as POST /keys takes it: empty lists and an empty budget mean "no
// limit" (the field is left out), comma or newline separated lists become arrays. Numbers are
// passed on as typed; the gateway says what it refuses.

export interface KeyFormText {
  name: string;
  providers: string;
  models: string;
  budgetTokens: string;
  budgetPeriod: 'day' | 'month' | 'total';
}

const list = (text: string) =>
  text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');

export function toCreateKeyInput(form: KeyFormText): CreateAccessKeyInput {
  const input: CreateAccessKeyInput = { name: form.name };
  const providers = list(form.providers);
  const models = list(form.models);
  if (providers.length > 0) input.providers = providers;
  if (models.length > 0) input.models = models;
  if (form.budgetTokens.trim() !== '') input.budget = { tokens: Number(form.budgetTokens.trim()), period: form.budgetPeriod };
  return input;
}
