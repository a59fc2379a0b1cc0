import type { AccessKey, CreateAccessKeyInput, UpdateAccessKeyInput } from 'llm-gateway-client';
import type { FormErrors } from '../ui/use-form-problems.ts';
import { formatNumber } from '../ui/format-number.ts';
import { parseCount } from '../ui/parse-count.ts';

// The access-key form checked whole before it is sent, in plain words, and turned into what
// POST /keys (create) or PUT /keys/:id (edit) takes. Empty means "no limit": on create the field
// is left out, on edit it is sent as null, which removes the limit. An edit sends only what
// changed (a scope naming a provider deleted since is left alone unless it was touched). Numbers may be typed as the
// page shows them (1,000,000). The expiry is a UTC day: the key stops at 00:00 UTC on it.

type BudgetPeriod = NonNullable<AccessKey['budget']>['period'];

export const keyFields = ['name', 'providers', 'models', 'rateLimit', 'budget', 'expiresAt'] as const;
export type KeyField = (typeof keyFields)[number];

export interface KeyFormText {
  name: string;
  /** Provider ids; empty: every provider. */
  providers: string[];
  /** Patterns, one per line or comma-separated; empty: every model. */
  models: string;
  rateRequests: string;
  rateWindowMs: number;
  budgetTokens: string;
  /** US dollars, such as 20 or 49.50. */
  budgetUsd: string;
  budgetPeriod: BudgetPeriod;
  /** YYYY-MM-DD (UTC), or empty: never. */
  expiresOn: string;
  disabled: boolean;
}

export type CheckedKeyForm = { ok: true; input: CreateAccessKeyInput & UpdateAccessKeyInput } | { ok: false; errors: FormErrors<KeyField> };

const MAX_RATE_REQUESTS = 1_000_000;

/** The form's text for a key (empty for a new one). */
export function keyFormText(key?: AccessKey): KeyFormText {
  return {
    name: key?.name ?? '',
    providers: key?.providers ?? [],
    models: key?.models?.join('\n') ?? '',
    rateRequests: key?.rateLimit ? String(key.rateLimit.requests) : '',
    rateWindowMs: key?.rateLimit?.windowMs ?? 60_000,
    budgetTokens: key?.budget?.tokens !== undefined ? formatNumber(key.budget.tokens) : '',
    budgetUsd: key?.budget?.usd !== undefined ? String(key.budget.usd) : '',
    budgetPeriod: key?.budget?.period ?? 'month',
    expiresOn: key?.expiresAt ? key.expiresAt.slice(0, 10) : '',
    disabled: key?.disabled ?? false,
  };
}

/**
 * `today`: the current UTC day (YYYY-MM-DD); an expiry must come after it, unless it is the one
 * the key already had (`previous`), so editing an expired key's other fields is not refused.
 */
export function checkKeyForm(form: KeyFormText, context: { editing: boolean; today: string; previous?: KeyFormText }): CheckedKeyForm {
  const errors: FormErrors<KeyField> = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'Give the key a name: who or what uses it, such as "alice" or "support-bot".';
  else if (name.length > 64) errors.name = `Use at most 64 characters (this name has ${name.length}).`;

  const models = form.models
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const unqualified = models.find((pattern) => !/^[^/]+\/.+$/.test(pattern));
  if (unqualified !== undefined) errors.models = `"${unqualified}" needs its provider: write it as <provider name>/<model>, such as openai/gpt-4o*.`;

  const requests = form.rateRequests.trim() === '' ? undefined : parseCount(form.rateRequests);
  if (requests === undefined && form.rateRequests.trim() !== '') errors.rateLimit = 'Enter a whole number of requests, such as 60 or 1,000, or leave it empty for no limit.';
  else if (requests !== undefined && (requests < 1 || requests > MAX_RATE_REQUESTS)) errors.rateLimit = 'Allow between 1 and 1,000,000 requests per window, or leave it empty for no limit.';

  const tokens = form.budgetTokens.trim() === '' ? undefined : parseCount(form.budgetTokens);
  if (tokens === undefined && form.budgetTokens.trim() !== '') errors.budget = 'Enter a whole number of tokens, such as 1,000,000, or leave it empty for no budget.';
  else if (tokens === 0) errors.budget = 'A budget needs at least 1 token; leave it empty for no budget.';
  const usdText = form.budgetUsd.trim().replace(/^\$/, '').replaceAll(',', '');
  const usd = usdText === '' ? undefined : Number(usdText);
  if (usd !== undefined && !(Number.isFinite(usd) && usd > 0 && usd <= 1_000_000)) errors.budget = 'Enter a dollar amount above 0 and up to 1,000,000, such as 20 or 49.50, or leave it empty for no dollar budget.';

  const expiresOn = form.expiresOn.trim();
  const validDay = /^\d{4}-\d{2}-\d{2}$/.test(expiresOn) && !Number.isNaN(Date.parse(`${expiresOn}T00:00:00Z`));
  if (expiresOn !== '' && !validDay) errors.expiresAt = 'Enter a day as YYYY-MM-DD, or leave it empty for a key that does not expire.';
  else if (expiresOn !== '' && expiresOn <= context.today && expiresOn !== context.previous?.expiresOn) errors.expiresAt = `Pick a day after today (${context.today}, UTC), or leave it empty for a key that does not expire.`;

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const input: CreateAccessKeyInput & UpdateAccessKeyInput = { name };
  const limits = {
    providers: form.providers.length > 0 ? form.providers : null,
    models: models.length > 0 ? models : null,
    rateLimit: requests === undefined ? null : { requests, windowMs: form.rateWindowMs },
    budget: tokens === undefined && usd === undefined ? null : { ...(tokens === undefined ? {} : { tokens }), ...(usd === undefined ? {} : { usd }), period: form.budgetPeriod },
    expiresAt: expiresOn === '' ? null : `${expiresOn}T00:00:00.000Z`,
  };
  for (const [field, value] of Object.entries(limits)) {
    if (value !== null || context.editing) Object.assign(input, { [field]: value });
  }
  if (context.editing) input.disabled = form.disabled;
  if (context.editing && context.previous) {
    const before = checkKeyForm(context.previous, { editing: true, today: '' });
    if (before.ok) {
      for (const field of Object.keys(input) as Array<keyof typeof input>) {
        if (JSON.stringify(input[field]) === JSON.stringify(before.input[field])) delete input[field];
      }
    }
  }
  return { ok: true, input };
}
